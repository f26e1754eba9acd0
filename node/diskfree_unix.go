//go:build unix

package node

import "syscall"

// diskFree is the space available to the node's user on the filesystem
// holding dir; ok is false when it cannot be read.
func diskFree(dir string) (bytes uint64, ok bool) {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return 0, false
	}
	return uint64(st.Bavail) * uint64(st.Bsize), true
}
