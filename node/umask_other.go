//go:build !unix

package node

// restrictUmask does nothing where there is no umask (Windows: access is
// governed by the ACLs the datadir inherits).
func restrictUmask() int { return 0 }
