package query

import (
	"fmt"
	"strings"

	"github.com/enigma-mpc/enigma/dataset"
	"github.com/enigma-mpc/enigma/query/sql"
)

// ResultColumn describes one output column. Encrypted outputs carry the
// source column, so a client holding the keys can decrypt the cells.
type ResultColumn struct {
	Name string
	// Type is the logical type (0 when the values' types vary or are all
	// NULL); cells of encrypted outputs are TypeBytes ciphertext of this
	// type.
	Type       dataset.ColumnType
	Encryption dataset.Encryption
	// Source is the schema column an encrypted output decrypts as.
	Source string
	// Dataset is the path of the dataset whose column Source is (a query
	// may join several datasets, each encrypted under its own keys).
	Dataset string
}

// selectPlan is a bound query: one block, or several combined by set
// operations, then ordered and limited.
type selectPlan struct {
	blocks []*blockPlan
	ops    []sql.SetOp
	order  []orderKey // positions in the blocks' output rows
	limit  *int64
	offset *int64
	cols   []ResultColumn
	types  []typ
	nOut   int
	// correlated: the query reads columns of enclosing queries, so it is
	// run again for each of their rows (otherwise once per statement).
	correlated bool
}

// blockPlan is one bound SELECT.
type blockPlan struct {
	sc       *scope
	core     *sql.SelectCore
	sources  []*source
	conj     []*conjunct // WHERE and inner-join ON terms
	distinct bool
	// Grouping: rows are grouped by groupBy (evaluated on source rows);
	// a group row holds the keys then the aggregates; having and the
	// outputs are evaluated on group rows.
	aggregated bool
	groupBy    []expr
	aggs       []*aggSpec
	having     expr
	// outputs are the select list, then hidden ORDER BY keys.
	outputs []expr
	types   []typ
	cols    []ResultColumn
	nOut    int
	itemOut []int // select item → output position (-1 for stars)
}

type orderKey struct {
	idx  int
	desc bool
}

// aggSpec is one aggregate of a grouped block.
type aggSpec struct {
	fn       string
	arg      expr // nil for COUNT(*)
	argType  typ
	sep      expr // GROUP_CONCAT's separator
	distinct bool
}

func aggResultType(s *aggSpec) typ {
	switch s.fn {
	case sql.FuncCount:
		return typ{kind: dataset.TypeInt64}
	case sql.FuncAvg, sql.FuncTotal:
		return typ{kind: dataset.TypeFloat64}
	case sql.FuncGroupConcat:
		return typ{kind: dataset.TypeString}
	case sql.FuncSum:
		if s.argType.kind == dataset.TypeBool {
			return typ{kind: dataset.TypeInt64}
		}
		return typ{kind: s.argType.kind}
	}
	t := s.argType // MIN, MAX
	t.konst = false
	return t
}

// explain describes the plan, one step per line.
func (p *selectPlan) explain() []string {
	var lines []string
	p.explainInto(&lines, "")
	return lines
}

func (p *selectPlan) explainInto(lines *[]string, indent string) {
	for i, blk := range p.blocks {
		if i > 0 {
			*lines = append(*lines, indent+p.ops[i-1].String()+":")
		}
		blk.explainInto(lines, indent, p, len(p.blocks) == 1)
	}
	if len(p.blocks) > 1 && len(p.order) > 0 {
		*lines = append(*lines, indent+"sort: "+p.orderText())
	}
	if p.limit != nil || p.offset != nil {
		lim, off := int64(-1), int64(0)
		if p.limit != nil {
			lim = *p.limit
		}
		if p.offset != nil {
			off = *p.offset
		}
		*lines = append(*lines, fmt.Sprintf("%slimit: %d offset %d", indent, lim, off))
	}
	names := make([]string, len(p.cols))
	for i, c := range p.cols {
		names[i] = c.Name
	}
	*lines = append(*lines, indent+"output: "+strings.Join(names, ", "))
}

func (p *selectPlan) orderText() string {
	var o []string
	for _, k := range p.order {
		s := fmt.Sprintf("#%d", k.idx+1)
		if k.idx < len(p.cols) {
			s = p.cols[k.idx].Name
		}
		if k.desc {
			s += " DESC"
		}
		o = append(o, s)
	}
	return strings.Join(o, ", ")
}

func (blk *blockPlan) explainInto(lines *[]string, indent string, p *selectPlan, whole bool) {
	add := func(s string) { *lines = append(*lines, indent+s) }
	if len(blk.sources) == 0 {
		add("scan: one row (no FROM)")
	}
	for i, s := range blk.sources {
		prefix := ""
		if len(blk.sources) > 1 {
			prefix = fmt.Sprintf("source %d (%s): ", i+1, s.name)
			if s.left {
				prefix = fmt.Sprintf("source %d (%s, LEFT JOIN): ", i+1, s.name)
			}
		}
		switch {
		case s.table != nil:
			lines := s.access.describe(s.table)
			if len(blk.sources) == 1 && s.access.index >= 0 && blockColumns(blk, s)&^s.table.coveredBy(s.access.index) == 0 {
				lines[len(lines)-1] = "covering: the index entries hold every column the query reads; no row is fetched"
			}
			for j, l := range lines {
				if j == 0 {
					add(prefix + l)
				} else {
					add(strings.Repeat(" ", len(prefix)) + l)
				}
			}
		default:
			add(prefix + "subquery:")
			s.derived.explainInto(lines, indent+"  ")
		}
	}
	if blk.core != nil && blk.core.Where != nil {
		add("filter: " + blk.core.Where.String())
	}
	if cols := oreColumns(blk.conj); len(cols) > 0 {
		add("order-revealing: " + strings.Join(cols, ", ") + " compared with the query's left ciphertexts cell by cell during the scan (ore columns have no index)")
	}
	if len(blk.sources) > 1 {
		add("join: hash joins on equalities, smallest input first; other conditions as soon as their tables are joined")
	}
	if blk.aggregated {
		var g []string
		for _, e := range blk.core.GroupBy {
			g = append(g, e.String())
		}
		var aggs []string
		for _, a := range blk.aggs {
			aggs = append(aggs, strings.ToLower(a.fn))
		}
		if len(g) > 0 {
			add(fmt.Sprintf("aggregate: hash on (%s): %s", strings.Join(g, ", "), strings.Join(aggs, ", ")))
		} else {
			add("aggregate: " + strings.Join(aggs, ", "))
		}
		if blk.core.Having != nil {
			add("having: " + blk.core.Having.String())
		}
	}
	if blk.distinct {
		add("distinct: hash on the output rows")
	}
	if whole && len(p.order) > 0 {
		if len(blk.sources) == 1 && blk.sources[0].access.ordered {
			dir := "ascending"
			if blk.sources[0].access.desc {
				dir = "descending"
			}
			add("order: read in " + dir + " key order, no sort")
		} else {
			add("sort: " + strings.Join(p.blocksOrderAST(blk), ", "))
		}
	}
}

func (p *selectPlan) blocksOrderAST(blk *blockPlan) []string {
	var out []string
	for _, k := range p.order {
		s := fmt.Sprintf("#%d", k.idx+1)
		if k.idx < len(blk.cols) {
			s = blk.cols[k.idx].Name
		}
		if k.desc {
			s += " DESC"
		}
		out = append(out, s)
	}
	return out
}
