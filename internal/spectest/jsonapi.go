package spectest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"

	"github.com/google/jsonapi"
)

// Job is a catalog-item-bulk-update-job as decoded by google/jsonapi, an
// implementation independent of the emulator's own encoder.
//
// Timestamps stay strings: google/jsonapi v1.0.0 only parses "iso8601"
// times of the form 2006-01-02T15:04:05Z and rejects the "+00:00" offset
// Klaviyo uses. Pointer fields are nil when the attribute is null or absent.
// The errors attribute is deliberately not decoded (see DecodeJob).
type Job struct {
	// ID is the top-level resource id.
	ID string `jsonapi:"primary,catalog-item-bulk-update-job"`
	// Status is the job status (queued, processing, complete or cancelled).
	Status string `jsonapi:"attr,status"`
	// CreatedAt is the creation timestamp exactly as served.
	CreatedAt string `jsonapi:"attr,created_at"`
	// TotalCount is the number of operations in the job; google/jsonapi
	// truncates a fractional JSON number here instead of failing.
	TotalCount int `jsonapi:"attr,total_count"`
	// CompletedCount is the number of finished operations, nil when null or absent.
	CompletedCount *int `jsonapi:"attr,completed_count"`
	// FailedCount is the number of failed operations, nil when null or absent.
	FailedCount *int `jsonapi:"attr,failed_count"`
	// CompletedAt is the completion timestamp as served, nil when null or absent.
	CompletedAt *string `jsonapi:"attr,completed_at"`
	// ExpiresAt is the expiry timestamp as served, nil when null or absent.
	ExpiresAt *string `jsonapi:"attr,expires_at"`
}

// DecodeJobs decodes a collection document (list response) with
// jsonapi.UnmarshalManyPayload.
//
// It only works for revisions whose jobs carry a top-level id (2023-12-15 and
// later); for older revisions (id only in attributes.job_id) it returns an
// error, as it does when "data" is missing, null or not an array, or when a
// member has the wrong type for its field.
func DecodeJobs(body []byte) ([]Job, error) {
	if err := requireData(body); err != nil {
		return nil, err
	}
	models, err := jsonapi.UnmarshalManyPayload(bytes.NewReader(body), reflect.TypeOf(&Job{}))
	if err != nil {
		return nil, fmt.Errorf("spectest: google/jsonapi: %w", err)
	}
	jobs := make([]Job, 0, len(models))
	for i, m := range models {
		j, ok := m.(*Job)
		if !ok {
			return nil, fmt.Errorf("spectest: google/jsonapi returned %T", m)
		}
		if j.ID == "" {
			return nil, fmt.Errorf("spectest: data[%d] has no top-level id (needs revision 2023-12-15 or later)", i)
		}
		jobs = append(jobs, *j)
	}
	return jobs, nil
}

// DecodeJob decodes a single-resource document (get-one or create response)
// with jsonapi.UnmarshalPayload.
//
// It only works for revisions whose job carries a top-level id (2023-12-15
// and later); for older revisions it returns an error, as it does when "data"
// is missing or null, or when a member has the wrong type for its field.
// google/jsonapi v1.0.0 copes with null or absent attributes, null links,
// top-level meta and relationships without data; the job's errors attribute
// is not decoded because v1.0.0 silently drops array elements it cannot map
// to a struct instead of failing.
func DecodeJob(body []byte) (Job, error) {
	if err := requireData(body); err != nil {
		return Job{}, err
	}
	var j Job
	if err := jsonapi.UnmarshalPayload(bytes.NewReader(body), &j); err != nil {
		return Job{}, fmt.Errorf("spectest: google/jsonapi: %w", err)
	}
	if j.ID == "" {
		return Job{}, errors.New("spectest: data has no top-level id (needs revision 2023-12-15 or later)")
	}
	return j, nil
}

// requireData rejects documents without a non-null "data" member, which
// google/jsonapi would otherwise decode as zero jobs (or a generic panic).
func requireData(body []byte) error {
	var doc struct {
		Data json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		return fmt.Errorf("spectest: not a JSON object: %w", err)
	}
	if len(doc.Data) == 0 || string(doc.Data) == "null" {
		return errors.New(`spectest: document has no "data" member`)
	}
	return nil
}
