package httpapi

import (
	"encoding/json"
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestOpenAPISchemasMatchTheGoTypes: every schema of openapi.json names
// exactly the JSON fields its Go type writes, nested objects and array
// items too, so a field renamed in the code (the API names fields as the
// CLI's --format json does) cannot leave the document behind.
func TestOpenAPISchemasMatchTheGoTypes(t *testing.T) {
	var doc struct {
		Components struct {
			Schemas map[string]map[string]any `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(openAPIDocument, &doc); err != nil {
		t.Fatal(err)
	}
	types := map[string]reflect.Type{
		"Amount": reflect.TypeFor[Amount](), "CertifiedSummary": reflect.TypeFor[CertifiedSummary](),
		"DatasetSummary": reflect.TypeFor[DatasetSummary](), "DatasetPage": reflect.TypeFor[DatasetPage](),
		"Column": reflect.TypeFor[ColumnView](), "Metadata": reflect.TypeFor[MetadataView](),
		"Certificate": reflect.TypeFor[CertificateView](), "Record": reflect.TypeFor[RecordView](),
		"NodeAnswer": reflect.TypeFor[NodeAnswer](), "Slash": reflect.TypeFor[SlashView](),
		"Connect": reflect.TypeFor[ConnectionView](), "DatasetDetail": reflect.TypeFor[DatasetDetail](),
		"Liveness": reflect.TypeFor[Liveness](), "Validators": reflect.TypeFor[ValidatorsView](),
		"Police": reflect.TypeFor[PoliceView](), "Network": reflect.TypeFor[NetworkView](),
		"Status": reflect.TypeFor[StatusView](), "Attestations": reflect.TypeFor[AttestationsView](),
		"Error": reflect.TypeFor[struct {
			Error string `json:"error"`
		}](),
	}
	for name := range doc.Components.Schemas {
		if _, ok := types[name]; !ok {
			t.Errorf("schema %s has no Go type in this test: add it", name)
		}
	}
	c := schemaChecker{t: t, schemas: doc.Components.Schemas}
	for name, typ := range types {
		s, ok := doc.Components.Schemas[name]
		if !ok {
			t.Errorf("no schema %s in openapi.json", name)
			continue
		}
		c.check(name, typ, s)
	}
	// The checker catches a renamed field.
	broken := schemaChecker{t: &testing.T{}, schemas: doc.Components.Schemas}
	if broken.check("DatasetSummary", reflect.TypeFor[struct {
		DatasetSummary
		Renamed string `json:"renamed"`
	}](), doc.Components.Schemas["DatasetSummary"]); broken.failed == 0 {
		t.Error("the checker did not notice a field the document lacks")
	}
}

type schemaChecker struct {
	t interface {
		Errorf(format string, args ...any)
	}
	schemas map[string]map[string]any
	failed  int
}

// properties resolves $ref and merges allOf; nil for a schema that does
// not list its properties.
func (c *schemaChecker) properties(s map[string]any) map[string]any {
	if ref, ok := s["$ref"].(string); ok {
		return c.properties(c.schemas[strings.TrimPrefix(ref, "#/components/schemas/")])
	}
	if all, ok := s["allOf"].([]any); ok {
		out := map[string]any{}
		for _, part := range all {
			maps.Copy(out, c.properties(part.(map[string]any)))
		}
		return out
	}
	props, _ := s["properties"].(map[string]any)
	return props
}

func (c *schemaChecker) check(where string, typ reflect.Type, s map[string]any) int {
	for typ.Kind() == reflect.Pointer || typ.Kind() == reflect.Slice {
		typ = typ.Elem()
		if items, ok := s["items"].(map[string]any); ok {
			s = items
		}
	}
	if typ.Kind() != reflect.Struct || typ == reflect.TypeFor[time.Time]() {
		return c.failed
	}
	props := c.properties(s)
	if props == nil {
		return c.failed // an object the document leaves open
	}
	fields := jsonFields(typ)
	if got, want := slices.Sorted(maps.Keys(props)), slices.Sorted(maps.Keys(fields)); !slices.Equal(got, want) {
		c.failed++
		c.t.Errorf("%s: openapi.json lists %v, the Go type writes %v", where, got, want)
		return c.failed
	}
	for name, ft := range fields {
		c.check(where+"."+name, ft, props[name].(map[string]any))
	}
	return c.failed
}

// jsonFields are the JSON names a struct writes, embedded structs flattened.
func jsonFields(typ reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for f := range typ.Fields() {
		tag := f.Tag.Get("json")
		name, _, _ := strings.Cut(tag, ",")
		if name == "-" || !f.IsExported() {
			continue
		}
		if f.Anonymous && name == "" {
			maps.Copy(out, jsonFields(f.Type))
			continue
		}
		if name == "" {
			name = f.Name
		}
		out[name] = f.Type
	}
	return out
}
