package klaviyomock

import "time"

// BackInStockSubscription is a back-in-stock subscription as the control
// API shows it (Klaviyo never shows them back): made by POST
// /api/back-in-stock-subscriptions or POST
// /client/back-in-stock-subscriptions, or set with
// SetBackInStockSubscriptions. Variant is the variant's id as sent (any
// integration's: it need not be in the catalog); Email, PhoneNumber,
// ExternalID, ProfileID and AnonymousID are the profile's; Source is "api"
// or "client" and Revision the revision that served the create. As a
// create requires, Channels and Variant are required, and at least one of
// Email, PhoneNumber and ExternalID. An empty ID is made by the server;
// zero times are set to the server clock.
type BackInStockSubscription struct {
	ID          string    `json:"id,omitempty"`
	Channels    []string  `json:"channels"`
	Email       *string   `json:"email,omitempty"`
	PhoneNumber *string   `json:"phone_number,omitempty"`
	ExternalID  *string   `json:"external_id,omitempty"`
	ProfileID   *string   `json:"profile_id,omitempty"`
	AnonymousID *string   `json:"anonymous_id,omitempty"`
	Source      *string   `json:"source,omitempty"`
	Revision    *string   `json:"revision,omitempty"`
	Created     time.Time `json:"created,omitzero"`
	Updated     time.Time `json:"updated,omitzero"`
	Variant     string    `json:"variant"`
}

// BackInStockNotification is the emulator's own record of a back-in-stock
// notification it would have sent (nothing is sent anywhere; Klaviyo has
// no such resource): one per subscription and channel when the variant's
// inventory_quantity rose from 0 or less (or null) to more than 0.
type BackInStockNotification struct {
	ID             string    `json:"id,omitempty"`
	SubscriptionID *string   `json:"subscription_id,omitempty"`
	Channel        *string   `json:"channel,omitempty"`
	Email          *string   `json:"email,omitempty"`
	PhoneNumber    *string   `json:"phone_number,omitempty"`
	ExternalID     *string   `json:"external_id,omitempty"`
	Created        time.Time `json:"created,omitzero"`
	Variant        string    `json:"variant"`
}

// BackInStockSubscriptions returns the back-in-stock subscriptions of
// account key (an API key, or the public key a /client request's
// company_id named), oldest first.
func (s *Server) BackInStockSubscriptions(key string) []BackInStockSubscription {
	return entitiesOf[BackInStockSubscription](s, key, collection("back-in-stock-subscriptions"))
}

// SetBackInStockSubscriptions replaces the back-in-stock subscriptions of
// account key with exactly subs (a subscription without an ID gets one).
// Nothing changes if any is invalid.
func (s *Server) SetBackInStockSubscriptions(key string, subs ...BackInStockSubscription) error {
	return setEntities(s, key, collection("back-in-stock-subscriptions"), subs)
}

// BackInStockNotifications returns the emulator's records of the
// back-in-stock notifications account key would have sent, oldest first.
func (s *Server) BackInStockNotifications(key string) []BackInStockNotification {
	return entitiesOf[BackInStockNotification](s, key, collection("back-in-stock-notifications"))
}

// SetBackInStockNotifications replaces those records with exactly recs
// (none: clears them).
func (s *Server) SetBackInStockNotifications(key string, recs ...BackInStockNotification) error {
	return setEntities(s, key, collection("back-in-stock-notifications"), recs)
}
