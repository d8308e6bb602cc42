package persist

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// tempPattern is the name of WriteAtomic's temporary files beside path.
func tempPattern(path string) string { return "." + filepath.Base(path) + ".tmp-*" }

// RemoveStale removes the temporary files a save into path left behind when
// the process was killed mid-write (nothing else ever reads them). It
// returns how many it removed.
func RemoveStale(path string) (int, error) {
	matches, err := filepath.Glob(filepath.Join(filepath.Dir(path), tempPattern(path)))
	if err != nil {
		return 0, err
	}
	n := 0
	for _, m := range matches {
		if fi, err := os.Lstat(m); err != nil || !fi.Mode().IsRegular() {
			continue
		}
		if err := os.Remove(m); err != nil {
			return n, fmt.Errorf("remove stale %s: %w", m, err)
		}
		n++
	}
	return n, nil
}

// CheckWritable checks, at start, that a state file can be saved at path:
// that path is not a directory and a file can be created (and removed)
// beside it. Without it the first save, at shutdown, would fail and every
// change be lost.
func CheckWritable(path string) error {
	if fi, err := os.Stat(path); err == nil && !fi.Mode().IsRegular() {
		return fmt.Errorf("state file %s cannot be saved: it is a %s, not a file", path, kindOf(fi.Mode()))
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".probe-*")
	if err != nil {
		return fmt.Errorf("state file %s cannot be saved: %w (its directory must exist and be writable)", path, err)
	}
	name := f.Name()
	f.Close()
	if err := os.Remove(name); err != nil {
		return fmt.Errorf("state file %s cannot be saved: %w", path, err)
	}
	return nil
}

func kindOf(m os.FileMode) string {
	if m.IsDir() {
		return "directory"
	}
	return "special file (" + m.Type().String() + ")"
}

// WriteAtomic writes a file through write: into a temporary file beside
// path (created readable and writable by its owner only: a state file
// holds whole API keys), flushed and synced, then renamed over path. If write fails (or the
// process dies) the old file is untouched and the temporary file removed
// (or left with a ".tmp-" name that Load never reads and RemoveStale
// removes).
func WriteAtomic(path string, write func(io.Writer) error) (err error) {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, tempPattern(path))
	if err != nil {
		return fmt.Errorf("save %s: %w", path, err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	bw := bufio.NewWriterSize(f, 1<<20)
	if err = write(bw); err != nil {
		return fmt.Errorf("save %s: %w", path, err)
	}
	if err = bw.Flush(); err != nil {
		return fmt.Errorf("save %s: %w", path, err)
	}
	if err = f.Sync(); err != nil {
		return fmt.Errorf("save %s: %w", path, err)
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("save %s: %w", path, err)
	}
	if err = os.Rename(tmp, path); err != nil {
		return fmt.Errorf("save %s: %w", path, err)
	}
	if d, derr := os.Open(dir); derr == nil {
		_ = d.Sync()
		d.Close()
	}
	return nil
}
