// Package uplayer is a lint fixture: placed in the lowest layer, it imports
// node, the composition root.
package uplayer

import "github.com/enigma-mpc/enigma/node"

// Tick is a name from a higher layer.
var Tick = node.DefaultTickInterval
