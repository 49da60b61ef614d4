package learngraph

// LocalSnapshot is implemented by a Snapshot that answers from memory,
// with no round trip behind a call. For such a snapshot, collecting the
// keys of sibling fields into one batch saves nothing and costs the
// batch's waiting time, so a caller may ask for each key as it comes. A
// snapshot that is not one (a database's) is batched: one round trip per
// field level.
type LocalSnapshot interface {
	Snapshot
	// Local reports whether the snapshot's reads are in memory. A
	// wrapper (metrics, tracing) implements it by asking what it wraps.
	Local() bool
}

// IsLocal reports whether snap answers from memory (see LocalSnapshot).
func IsLocal(snap Snapshot) bool {
	l, ok := snap.(LocalSnapshot)
	return ok && l.Local()
}
