package quorum

// Faulty is f, the most members of n that may be Byzantine: ⌊(n−1)/3⌋
// (0 for n < 1).
func Faulty(n int) int {
	if n < 1 {
		return 0
	}
	return (n - 1) / 3
}

// Size is the quorum for n members: ⌈(n+f+1)/2⌉, the smallest size whose
// sets pairwise intersect in f+1 members. It is 2f+1 when n = 3f+1.
func Size(n int) int {
	if n < 1 {
		return 0
	}
	return (n + Faulty(n) + 2) / 2
}

// Weak is f+1: enough members that at least one is correct.
func Weak(n int) int { return Faulty(n) + 1 }
