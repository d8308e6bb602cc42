package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// request is one kind of single request measured.
type request struct {
	Name, Rev, Target string
	// next: the target is the links.next of the answer to Target. {job},
	// {item} and {category} in Target are ids of the account's.
	next bool
}

// requests are the list and get-one variants of the issue, for jobs and
// catalog entities, at old and new revisions.
var requests = []request{
	{Name: "jobs list 2022-10-17", Rev: "2022-10-17", Target: "/api/catalog-item-bulk-update-jobs/"},
	{Name: "jobs list 2024-10-15", Rev: "2024-10-15", Target: "/api/catalog-item-bulk-update-jobs"},
	{Name: "jobs list 2026-07-15", Rev: "2026-07-15", Target: "/api/catalog-item-bulk-update-jobs"},
	{Name: "jobs later page", Rev: "2026-07-15", Target: "/api/catalog-item-bulk-update-jobs", next: true},
	{Name: "jobs filter status", Rev: "2026-07-15", Target: "/api/catalog-item-bulk-update-jobs?filter=equals(status,%22complete%22)"},
	{Name: "jobs fields status", Rev: "2026-07-15", Target: "/api/catalog-item-bulk-update-jobs?fields%5Bcatalog-item-bulk-update-job%5D=status"},
	{Name: "job get one", Rev: "2026-07-15", Target: "/api/catalog-item-bulk-update-jobs/{job}"},
	{Name: "job include items", Rev: "2026-07-15", Target: "/api/catalog-item-bulk-update-jobs/{job}?include=items"},
	{Name: "variant create jobs 2023-06-15", Rev: "2023-06-15", Target: "/api/catalog-variant-bulk-create-jobs/"},
	{Name: "items list 2022-10-17", Rev: "2022-10-17", Target: "/api/catalog-items/"},
	{Name: "items list 2026-07-15", Rev: "2026-07-15", Target: "/api/catalog-items"},
	{Name: "items later page", Rev: "2026-07-15", Target: "/api/catalog-items", next: true},
	{Name: "items include variants", Rev: "2026-07-15", Target: "/api/catalog-items?include=variants"},
	{Name: "items filter published", Rev: "2026-07-15", Target: "/api/catalog-items?filter=equals(published,true)"},
	{Name: "item get one", Rev: "2026-07-15", Target: "/api/catalog-items/{item}"},
	{Name: "variants list 2023-07-15", Rev: "2023-07-15", Target: "/api/catalog-variants/"},
	{Name: "categories list", Rev: "2026-07-15", Target: "/api/catalog-categories"},
	{Name: "category items", Rev: "2026-07-15", Target: "/api/catalog-categories/{category}/items"},
	{Name: "item category ids", Rev: "2024-10-15", Target: "/api/catalog-items/{item}/relationships/categories"},
}

// client is the recording's and the scale rows' HTTP client: every call
// is bounded.
var client = &http.Client{Timeout: 5 * time.Minute}

// resolve returns the target of rq in the account whose ids are ids.
func resolve(base string, rq request, ids map[string]string) (string, error) {
	target := rq.Target
	for k, v := range ids {
		target = strings.ReplaceAll(target, "{"+k+"}", url.PathEscape(v))
	}
	if !rq.next {
		return target, nil
	}
	body, status, err := get(base, key, rq.Rev, target)
	if err != nil || status != 200 {
		return "", fmt.Errorf("%s: GET %s: %d %v", rq.Name, target, status, err)
	}
	var doc struct {
		Links struct{ Next string } `json:"links"`
	}
	if err := json.Unmarshal(body, &doc); err != nil || doc.Links.Next == "" {
		return "", fmt.Errorf("%s: no links.next", rq.Name)
	}
	u, err := url.Parse(doc.Links.Next)
	if err != nil {
		return "", err
	}
	return u.RequestURI(), nil
}

// accountIDs picks a job, an item and a category of the account.
func accountIDs(base, account string) (map[string]string, error) {
	ids := map[string]string{}
	for name, path := range map[string]string{"job": "/api/catalog-item-bulk-update-jobs", "item": "/api/catalog-items",
		"category": "/api/catalog-categories"} {
		id, err := firstID(base, account, path)
		if err != nil {
			return nil, err
		}
		ids[name] = id
	}
	return ids, nil
}

// firstID is the id of the first resource a list answers.
func firstID(base, account, path string) (string, error) {
	body, status, err := get(base, account, "2026-07-15", path)
	if err != nil {
		return "", err
	}
	var doc struct {
		Data []struct{ ID string } `json:"data"`
	}
	if err := json.Unmarshal(body, &doc); err != nil || len(doc.Data) == 0 {
		return "", fmt.Errorf("GET %s answered %d: %.200s", path, status, body)
	}
	return doc.Data[0].ID, nil
}

// get sends one request as account and returns the answer's body and
// status.
func get(base, account, rev, target string) ([]byte, int, error) {
	return send(base, account, "GET", rev, target, nil)
}
