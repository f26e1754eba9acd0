// Package fatclient is a lint fixture: a client library as package client
// was before it stopped importing node — it imports node for a role name
// and the Starlark pre-flight, so it links the node, consensus, the stores
// and the interpreter.
package fatclient

import (
	"github.com/enigma-mpc/enigma/client/scriptcheck"
	"github.com/enigma-mpc/enigma/node"
)

// Tick is a name from node.
var Tick = node.DefaultTickInterval

// Check is the Starlark pre-flight.
var Check = scriptcheck.Starlark{}
