// Package store is the emulator's in-memory state: per-account catalog items
// and bulk update jobs, kept in id order so that a page costs O(page + log n)
// with or without a status filter. It knows nothing of HTTP.
package store

import (
	"encoding/json"
	"fmt"
	"time"
)

// JobError is one entry of a job's errors[]: an item the job could not apply.
type JobError struct {
	ID      string `json:"id"`
	Code    string `json:"code"`
	Title   string `json:"title"`
	Detail  string `json:"detail"`
	Pointer string `json:"pointer"`
}

// MissingItemError is the job error for an item of a job that the account's
// catalog does not hold: itemsPointer is the request's items array, k the
// item's index in it.
func MissingItemError(id, itemID, itemsPointer string, k int) JobError {
	return JobError{
		ID:      id,
		Code:    "not_found",
		Title:   "Not found.",
		Detail:  fmt.Sprintf("A catalog-item with id %s does not exist.", itemID),
		Pointer: fmt.Sprintf("%s/%d/id", itemsPointer, k),
	}
}

// Job is one catalog item bulk update job. A *Job held by the store is never
// modified; changes replace it with a new value, so readers may use it
// without locks.
type Job struct {
	ID          string
	Status      Status
	CreatedAt   time.Time
	CompletedAt time.Time // zero: null
	ExpiresAt   time.Time // zero: null
	Total       int
	Completed   int
	Failed      int
	Errors      []JobError
	// Items are the ids of the catalog items the job updates, in request order.
	Items []string
	// work is the pending part of a job created through the API; nil for
	// history (seeded or imported jobs, and finished ones).
	work *work
}

// Created reports whether the job was created through the API and is still
// being processed.
func (j *Job) Created() bool { return j.work != nil }

// Item is one catalog item. Nil pointers (and a nil CustomMetadata) are JSON
// null. Items held by the store are never modified in place.
type Item struct {
	ID                string
	ExternalID        string
	Title             *string
	Description       *string
	Price             *float64
	URL               *string
	ImageFullURL      *string
	ImageThumbnailURL *string
	Images            *[]string
	CustomMetadata    json.RawMessage
	Published         *bool
	Created           time.Time
	Updated           time.Time
}

// MaxJobItems is the most items one job may update.
const MaxJobItems = 100

// ItemIDPrefix is the integration and catalog part of every catalog item id
// ($custom integration, $default catalog).
const ItemIDPrefix = "$custom:::$default:::"

// ItemID returns the catalog item id of an external id.
func ItemID(externalID string) string { return ItemIDPrefix + externalID }
