package schema

// Action is what a bulk job does to its entities.
type Action uint8

// Job actions.
const (
	Create Action = iota
	Update
	Delete
)

// String returns the action as Klaviyo spells it in paths and types.
func (a Action) String() string { return [...]string{"create", "update", "delete"}[a] }

// JobKind is one kind of bulk job: what it does to which entities.
type JobKind struct {
	Entity *Entity
	Action Action
	// Index is its position among the declared job kinds (set by Declare).
	Index int
}

// Name returns e.g. "item-bulk-update".
func (k *JobKind) Name() string {
	var buf [48]byte
	return string(k.AppendName(buf[:0]))
}

// AppendName appends the kind's name (see Name) to b without making it: the
// one place the name's form is written.
func (k *JobKind) AppendName(b []byte) []byte {
	b = append(append(b, k.Entity.Singular...), "-bulk-"...)
	return append(b, k.Action.String()...)
}

// Type returns the JSON:API type, e.g. "catalog-item-bulk-update-job".
func (k *JobKind) Type() string { return "catalog-" + k.Name() + "-job" }
