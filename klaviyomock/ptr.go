package klaviyomock

// Ptr returns a pointer to v: the one helper the optional fields of Item,
// Variant, Category, Account and BackInStockSubscription need, e.g.
//
//	m.SetItems(key, klaviyomock.Item{ExternalID: "SKU-1", Title: klaviyomock.Ptr("Shirt"),
//		Description: klaviyomock.Ptr("Blue"), URL: klaviyomock.Ptr("https://example.com/sku-1"),
//		Price: klaviyomock.Ptr(19.5)})
//
// A nil field is left out of what the server is given, so it gets what a
// create leaving it out gets (published true, images [], …), or, for a
// field a create requires, the setter's error.
func Ptr[T any](v T) *T { return &v }
