//go:build unix

package node

import "syscall"

// restrictUmask makes every file and directory the process creates from now
// on private to its user (0600/0700 from the usual 0666/0777), whoever
// creates it: Pebble (whose default filesystem creates files 0666 and
// directories 0755, less the umask), go-ethereum's keystore, the worker's
// history. It returns the previous umask.
func restrictUmask() int { return syscall.Umask(0o077) }
