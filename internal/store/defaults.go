package store

// ApplyDefaults gives e the values a create that leaves its attributes out
// gets (each attribute's declared Default: Klaviyo's observed answers), as
// the API's create does; the control API's documents start from them.
func (e *Entity) ApplyDefaults() { e.applyDefaults() }
