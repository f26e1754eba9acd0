package quorum

import "testing"

// TestIntersectionAndAvailability checks the two invariants against their
// definitions for every group size a validator set may have, and that Size
// is the smallest size with the intersection property.
func TestIntersectionAndAvailability(t *testing.T) {
	for n := 1; n <= 256; n++ {
		f, q := Faulty(n), Size(n)
		if 3*f+1 > n || 3*(f+1)+1 <= n {
			t.Fatalf("n=%d: f=%d is not ⌊(n−1)/3⌋", n, f)
		}
		if 2*q-n < f+1 {
			t.Errorf("n=%d: two quorums of %d meet in %d members, need f+1 = %d", n, q, 2*q-n, f+1)
		}
		if q > n-f {
			t.Errorf("n=%d: quorum %d exceeds the %d correct members", n, q, n-f)
		}
		if q > 1 && 2*(q-1)-n >= f+1 {
			t.Errorf("n=%d: quorum %d is not the smallest with the intersection property", n, q)
		}
		if n == 3*f+1 && q != 2*f+1 {
			t.Errorf("n=%d = 3f+1: quorum %d, want 2f+1 = %d", n, q, 2*f+1)
		}
	}
}

// TestClassicQuorumFailsBetweenOptimalSizes shows why the package exists:
// 2f+1 loses the intersection property whenever n is not 3f+1.
func TestClassicQuorumFailsBetweenOptimalSizes(t *testing.T) {
	for _, n := range []int{5, 6, 8, 9} {
		f := Faulty(n)
		classic := 2*f + 1
		if 2*classic-n >= f+1 {
			t.Errorf("n=%d: 2f+1 = %d would intersect in %d ≥ f+1; the counterexample is wrong", n, classic, 2*classic-n)
		}
		if Size(n) <= classic {
			t.Errorf("n=%d: Size %d should exceed 2f+1 = %d", n, Size(n), classic)
		}
	}
	want := map[int]int{4: 3, 5: 4, 6: 4, 7: 5, 8: 6, 9: 6, 10: 7, 13: 9, 16: 11}
	for n, q := range want {
		if Size(n) != q {
			t.Errorf("Size(%d) = %d, want %d", n, Size(n), q)
		}
	}
}
