package nodeinfo

import (
	"reflect"
	"testing"
)

func TestParseRoles(t *testing.T) {
	roles, err := ParseRoles("validator, worker,validator")
	if err != nil {
		t.Fatal(err)
	}
	if want := []Role{RoleOverlay, RoleValidator, RoleWorker}; !reflect.DeepEqual(roles, want) {
		t.Fatalf("ParseRoles = %v, want %v", roles, want)
	}
	if _, err := ParseRoles("validator,archiver"); err == nil {
		t.Fatal("unknown role accepted")
	}
}
