package schema

// Back-in-stock subscriptions (docs/klaviyo-behaviour.md §10): Klaviyo
// takes them through POST /api/back-in-stock-subscriptions and POST
// /client/back-in-stock-subscriptions and never shows them back; the
// emulator keeps them per account, for its control API, and records what
// it would have notified when a subscribed variant comes back in stock.

// profileMember is an attribute a subscription's body sends in its
// profile.
func profileMember(name string, f Format) Attr {
	return Attr{Name: name, Type: String, Create: Optional, In: "profile", Format: f}
}

// BackInStockSubscription declares back-in-stock subscriptions: a
// subscriber (the profile's email, phone number or external id) asking to
// hear through some channels when a variant, of this catalog or another
// integration's, is back in stock. Two creates for the same variant and
// subscriber are one subscription, its channels the union of both.
func BackInStockSubscription() *Entity {
	return &Entity{
		Type: "back-in-stock-subscription", Path: "back-in-stock-subscriptions",
		Plural: "back-in-stock-subscriptions", Singular: "back_in_stock_subscription",
		ID: IDServer,
		Attrs: []Attr{
			{Name: "channels", Type: Strings, Create: Required},
			profileMember("email", FormatEmail),
			profileMember("phone_number", FormatPhone),
			profileMember("external_id", FormatAny),
			profileMember("profile_id", FormatAny),
			profileMember("anonymous_id", FormatAny),
			{Name: "source", Type: String, Role: Via},
			{Name: "revision", Type: String, Role: Revision},
			{Name: "created", Type: DateTime, Role: Created},
			{Name: "updated", Type: DateTime, Role: Updated},
		},
		Embeds: []Embed{{Name: "profile", Type: "profile", ID: "profile_id",
			Identity: []string{"email", "phone_number", "external_id"}, Ignored: []string{"id"}}},
		Relations: []Relation{{Name: "variant", Kind: Reference, Target: "catalog-variant", Body: true,
			Notify: &Notify{When: "inventory_quantity", Into: "back-in-stock-notification", Each: "channels",
				EachAs: "channel", OwnerAs: "subscription_id"}}},
		Merge: &Merge{Key: []string{"variant", "email", "phone_number", "external_id"}, Union: "channels"},
		Ops:   OpCreate | OpClientCreate,
	}
}

// BackInStockNotification declares the emulator's own record of a
// back-in-stock notification it would have sent: one per subscription and
// channel when the subscribed variant's inventory_quantity rises from 0 or
// less (or null) to more than 0. Klaviyo has no such resource: nothing is
// sent anywhere, and only the control API shows them.
func BackInStockNotification() *Entity {
	return &Entity{
		Type: "back-in-stock-notification", Plural: "back-in-stock-notifications", Singular: "back_in_stock_notification",
		ID: IDServer,
		Attrs: []Attr{
			{Name: "subscription_id", Type: String},
			{Name: "channel", Type: String},
			{Name: "email", Type: String},
			{Name: "phone_number", Type: String},
			{Name: "external_id", Type: String},
			{Name: "created", Type: DateTime, Role: Created},
		},
		Relations: []Relation{{Name: "variant", Kind: Reference, Target: "catalog-variant"}},
	}
}
