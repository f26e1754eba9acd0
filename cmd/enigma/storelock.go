package main

import (
	"errors"
	"fmt"
	"syscall"
)

// storeInUse turns the error of opening a Pebble store that another process
// holds (its LOCK file is locked: EAGAIN or EACCES from fcntl) into one that
// says a running node holds it and what to do; other errors pass unchanged.
func storeInUse(err error, dir string) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, syscall.EAGAIN) || errors.Is(err, syscall.EACCES) {
		return fmt.Errorf("the store %s is in use, most likely by a running node: stop the node first "+
			"(or ask it over the network: 'enigma subscriber query', 'enigma dht get'): %w", dir, err)
	}
	return err
}
