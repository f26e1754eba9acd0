package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"reflect"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/enigma-mpc/enigma/chain"
)

const catOutput = "OUTPUT"

// formatFlag is --format on the commands that print data. Table is for
// people; json and csv are for scripts: their field names are the json tags
// of the output types below and stay stable.
var formatFlag = &cli.StringFlag{
	Name: "format",
	Usage: "output format: table, json (lists are one array; 'market events' one object per line) or csv " +
		"(one row per item; amounts as <field>_eng and <field>_base_units)",
	Value:    "table",
	EnvVars:  envName("format"),
	Category: catOutput,
}

// outputFormat reads --format.
func outputFormat(ctx *cli.Context) (string, error) {
	switch f := ctx.String(formatFlag.Name); f {
	case "table", "json", "csv":
		return f, nil
	default:
		return "", fmt.Errorf("--format %q: use table, json or csv", f)
	}
}

// amount is an ENG amount for scripts: the decimal string in whole ENG and
// the exact integer in base units (ENG's smallest unit).
type amount struct {
	ENG       string `json:"eng"`
	BaseUnits string `json:"base_units"`
}

func engAmount(v *big.Int) amount {
	if v == nil {
		v = new(big.Int)
	}
	return amount{ENG: chain.FormatENG(v), BaseUnits: v.String()}
}

// etherAmount is an ether amount for scripts: decimal ether and exact wei.
type etherAmount struct {
	ETH string `json:"eth"`
	Wei string `json:"wei"`
}

func ether(wei *big.Int) etherAmount {
	if wei == nil {
		wei = new(big.Int)
	}
	return etherAmount{ETH: chain.FormatETH(wei), Wei: wei.String()}
}

// unixTime is a chain timestamp for scripts: RFC 3339 in UTC, empty for 0.
func unixTime(t uint64) string {
	if t == 0 {
		return ""
	}
	return time.Unix(int64(t), 0).UTC().Format(time.RFC3339)
}

// writeData prints v (a struct, or a slice of structs) as json or csv.
func writeData(w io.Writer, format string, v any) error {
	switch format {
	case "json":
		return json.NewEncoder(w).Encode(v)
	case "csv":
		return writeCSV(w, v)
	}
	return fmt.Errorf("writeData: format %q is printed by the command itself", format)
}

// writeCSV writes a struct or a slice of structs as CSV with a header row
// named by the json tags: an amount becomes two columns, a nested list one
// column of JSON.
func writeCSV(w io.Writer, v any) error {
	rv := reflect.ValueOf(v)
	var items []reflect.Value
	elem := rv.Type()
	if rv.Kind() == reflect.Slice {
		elem = rv.Type().Elem()
		for i := range rv.Len() {
			items = append(items, rv.Index(i))
		}
	} else {
		items = []reflect.Value{rv}
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(csvHeader(elem)); err != nil {
		return err
	}
	for _, it := range items {
		row, err := csvRow(it)
		if err != nil {
			return err
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func jsonName(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
	if name == "" {
		return f.Name
	}
	return name
}

// csvHeader names the columns: a nested struct (an amount) gives one column
// per field, <field>_<subfield>.
func csvHeader(t reflect.Type) []string {
	var h []string
	for i := range t.NumField() {
		f := t.Field(i)
		name := jsonName(f)
		if f.Type.Kind() == reflect.Struct {
			for j := range f.Type.NumField() {
				h = append(h, name+"_"+jsonName(f.Type.Field(j)))
			}
			continue
		}
		h = append(h, name)
	}
	return h
}

func csvRow(v reflect.Value) ([]string, error) {
	var row []string
	for i := range v.NumField() {
		f := v.Field(i)
		switch f.Kind() {
		case reflect.Struct:
			for j := range f.NumField() {
				row = append(row, fmt.Sprint(f.Field(j).Interface()))
			}
		case reflect.Slice, reflect.Map:
			b, err := json.Marshal(f.Interface())
			if err != nil {
				return nil, err
			}
			row = append(row, string(b))
		default:
			row = append(row, fmt.Sprint(f.Interface()))
		}
	}
	return row, nil
}
