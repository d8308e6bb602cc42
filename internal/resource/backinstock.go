package resource

import (
	"github.com/klaviyo-mock/mockserver/internal/limiter"
	"github.com/klaviyo-mock/mockserver/internal/schema"
)

// subscriptionLimits are both back-in-stock creates' rate limits, at every
// revision (docs/klaviyo-behaviour.md §10.4).
var subscriptionLimits = limiter.Limits{Burst: 350, Steady: 3500}

// subscriptionRows are the rows of the back-in-stock subscription create on
// /api or, client, on /client (docs/klaviyo-behaviour.md §10.1, §10.2),
// from revision 2023-07-15 (none before: Klaviyo's 404 for an operation a
// revision does not have): its operation, and what its body accepts and
// the spec requires, revision by revision. Whatever the spec marks
// optional, a subscription needs a subscriber and a variant (the payload
// refuses a body without them).
func subscriptionRows(client bool) func(*schema.Entity) []Row {
	return func(d *schema.Entity) []Row {
		id := "create_" + d.Singular
		if client {
			id = "create_client_" + d.Singular
		}
		return []Row{
			{"2023-07-15", func(p *Profile) {
				p.SetOp(OpCreate, id, subscriptionLimits)
				p.Choices = map[string][]string{"channels": {"EMAIL", "PUSH", "SMS"}}
				p.EmbedRequired = client // the profile
			}},
			{"2023-09-15", func(p *Profile) { p.BodyRelRequired = true }},
			{"2024-02-15", func(p *Profile) { p.EmbedNullable = !client }},
			{"2024-05-15", func(p *Profile) { p.BodyRelRequired = false }},
			{"2025-01-15", func(p *Profile) { p.BodyRelRequired = true }},
			{"2025-10-15", func(p *Profile) { p.Dropped = []string{"anonymous_id"} }},
			{"2026-01-15", func(p *Profile) {
				p.Choices = map[string][]string{"channels": {"EMAIL", "PUSH", "SMS", "WHATSAPP"}}
			}},
		}
	}
}
