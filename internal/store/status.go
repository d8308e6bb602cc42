package store

// Status is a job's processing state.
type Status uint8

// The job statuses Klaviyo reports.
const (
	Queued Status = iota
	Processing
	Complete
	Cancelled
	NumStatuses
)

var statusNames = [NumStatuses]string{"queued", "processing", "complete", "cancelled"}

// String returns the status as Klaviyo spells it.
func (s Status) String() string {
	if s < NumStatuses {
		return statusNames[s]
	}
	return "unknown"
}

// InProgress reports whether a job in this status still counts against the
// in-progress limit.
func (s Status) InProgress() bool { return s == Queued || s == Processing }

// ParseStatus returns the Status spelled s.
func ParseStatus(s string) (Status, bool) {
	for i, n := range statusNames {
		if n == s {
			return Status(i), true
		}
	}
	return 0, false
}

// StatusNames lists the status names in order.
func StatusNames() []string { return statusNames[:] }

// StatusSet is a set of statuses, used by filters.
type StatusSet uint8

// AllStatuses matches every job.
const AllStatuses StatusSet = 1<<NumStatuses - 1

// Has reports whether s is in the set.
func (ss StatusSet) Has(s Status) bool { return ss&(1<<s) != 0 }

// Only returns the set holding s alone.
func Only(s Status) StatusSet { return 1 << s }

// Single returns the one status in the set, if it holds exactly one.
func (ss StatusSet) Single() (Status, bool) {
	for s := Status(0); s < NumStatuses; s++ {
		if ss == Only(s) {
			return s, true
		}
	}
	return 0, false
}
