package nodeinfo

import (
	"fmt"
	"slices"
	"strings"
)

// Role names a job a node does. Every node runs the overlay.
type Role string

// The roles.
const (
	RoleValidator   Role = "validator"
	RoleOverlay     Role = "overlay"
	RoleWorker      Role = "worker"
	RolePersistence Role = "persistence"
)

var allRoles = []Role{RoleValidator, RoleOverlay, RoleWorker, RolePersistence}

// Known reports whether r is one of the roles.
func (r Role) Known() bool { return slices.Contains(allRoles, r) }

// ParseRoles parses a comma-separated role list; the overlay role is always
// included.
func ParseRoles(s string) ([]Role, error) {
	roles := []Role{RoleOverlay}
	for _, part := range strings.Split(s, ",") {
		r := Role(strings.TrimSpace(part))
		if r == "" {
			continue
		}
		if !r.Known() {
			return nil, fmt.Errorf("unknown role %q (use validator, overlay, worker, persistence)", r)
		}
		if !slices.Contains(roles, r) {
			roles = append(roles, r)
		}
	}
	return roles, nil
}
