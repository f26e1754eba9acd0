package httpapi_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// chromiumPath finds Debian's chromium; .ci/run installs it, so in CI its
// absence fails the test, elsewhere it skips with what to install.
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, p := range []string{os.Getenv("ENIGMA_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser"} {
		if p == "" {
			continue
		}
		if _, err := exec.LookPath(p); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("headless Chromium is missing in CI: .ci/run installs Debian's chromium package")
	}
	t.Skip("headless Chromium not found: apt-get install chromium (or set ENIGMA_CHROMIUM) to run the browser test")
	return ""
}

// TestExplorerInChromium drives the explorer in headless Chromium over the
// DevTools protocol and checks what each page shows; a screenshot of each
// page is written under the test's temp dir (or $ENIGMA_SCREENSHOTS).
func TestExplorerInChromium(t *testing.T) {
	n := testNetwork(t)
	exe := chromiumPath(t)
	shots := os.Getenv("ENIGMA_SCREENSHOTS")
	if shots == "" {
		shots = t.TempDir()
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(t.Context(),
		chromedp.ExecPath(exe), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 1000))
	defer cancelAlloc()
	browser, cancelBrowser := chromedp.NewContext(alloc)
	defer cancelBrowser()
	ctx, cancel := context.WithTimeout(browser, 2*time.Minute)
	defer cancel()

	// Any uncaught exception in the page fails the test.
	var mu sync.Mutex
	var exceptions []string
	if err := chromedp.Listen(ctx, func(ev any) {
		if e, ok := ev.(*runtime.EventExceptionThrown); ok {
			mu.Lock()
			exceptions = append(exceptions, e.ExceptionDetails.Text+" "+e.ExceptionDetails.URL)
			mu.Unlock()
		}
	}); err != nil {
		t.Fatalf("start Chromium (%s): %v", exe, err)
	}
	do := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("text of %s: %v", sel, err)
		}
		return s
	}
	screenshot := func(name string) {
		t.Helper()
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatalf("screenshot %s: %v", name, err)
		}
		path := filepath.Join(shots, name+".png")
		if err := os.WriteFile(path, png, 0o600); err != nil {
			t.Fatal(err)
		}
		t.Logf("screenshot: %s", path)
	}
	ready := func(page string) chromedp.Action[chromedp.Void] {
		return chromedp.WaitVisible(chromedp.CSS(fmt.Sprintf(`body[data-ready=%q] main`, page)))
	}
	// goTo changes the page within the explorer, as its navigation links do.
	goTo := func(hash string) {
		t.Helper()
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[string](fmt.Sprintf("location.hash = %q", hash))); err != nil {
			t.Fatalf("go to %s: %v", hash, err)
		}
	}
	rows := func(table string, want int) {
		t.Helper()
		expr := fmt.Sprintf(`document.querySelectorAll(%q).length === %d`, table+" tbody tr", want)
		if _, err := chromedp.Run(ctx, chromedp.Poll[bool](expr, chromedp.WithPollingTimeout(30*time.Second))); err != nil {
			t.Fatalf("waiting for %d rows in %s: %v", want, table, err)
		}
	}

	// noGaps: a page shows no value the API did not send (a field the
	// explorer reads under another name than the API writes).
	noGaps := func(page string) {
		t.Helper()
		shown := text("main")
		for _, gap := range []string{"undefined", "NaN", "Invalid Date", "null"} {
			if strings.Contains(shown, gap) {
				t.Errorf("the %s page shows %q:\n%s", page, gap, shown)
			}
		}
	}

	// The listing shows both datasets, the subscribed one ranked first.
	do("listing", chromedp.Navigate(n.base), ready("listing"))
	rows("#dataset-table", 2)
	screenshot("listing")
	noGaps("listing")
	if first := text("#dataset-table tbody tr:first-child"); !strings.Contains(first, "crypto_daily") || !strings.Contains(first, "10 ENG") || !strings.Contains(first, "encrypted") {
		t.Errorf("the listing's first row: %q", first)
	}

	// Search finds the demo dataset alone.
	do("search", chromedp.SetValue(chromedp.CSS("#search"), "crypto"), chromedp.Click(chromedp.CSS("#search-button")))
	rows("#dataset-table", 1)
	screenshot("search")
	if found := text("#dataset-table tbody"); !strings.Contains(found, "crypto_daily") {
		t.Errorf("search for crypto shows %q", found)
	}

	// Its page: the schema with the encrypted columns and how, the
	// certified version verified by the node, and the commands to use it.
	do("dataset page", chromedp.Click(chromedp.CSS("a.dataset-link")), ready("dataset"))
	screenshot("dataset")
	noGaps("dataset")
	schema := text("#schema-table")
	for _, col := range n.encCols {
		if !strings.Contains(schema, col) {
			t.Errorf("schema table lacks encrypted column %s: %q", col, schema)
		}
	}
	if !strings.Contains(schema, "det") || !strings.Contains(schema, "ope") || !strings.Contains(schema, "order-preserving") {
		t.Errorf("schema table does not say how columns are encrypted: %q", schema)
	}
	if version, verified := text("#certified-version"), text("#verified"); version != "v1" || !strings.Contains(verified, "this node against the chain") {
		t.Errorf("certified version %q, verified %q", version, verified)
	}
	howto := text("#howto-commands")
	for _, want := range []string{"enigma subscriber subscribe --periods 1", "enigma subscriber trial", "enigma subscriber query", n.encPath.String(), n.d.Info.Market.Hex(), "FROM crypto_daily"} {
		if !strings.Contains(howto, want) {
			t.Errorf("the how-to panel lacks %q:\n%s", want, howto)
		}
	}
	if subs := text("#subscribers"); subs != "1" {
		t.Errorf("subscribers this period: %q, want 1", subs)
	}

	// The network page: the four validators of epoch 1, all answering.
	goTo("#/network")
	do("network page", ready("network"))
	rows("#validators", 4)
	screenshot("network")
	noGaps("network")
	if validators := text("#validators tbody"); strings.Count(validators, "answered in") != 4 {
		t.Errorf("not 4 validators answering on the network page: %q", validators)
	}

	// The police page: the slash of open_daily, with its certified attestations.
	goTo("#/police")
	do("police page", ready("police"))
	screenshot("police")
	noGaps("police")
	if police := text("#slashes"); !strings.Contains(police, "open_daily") || !strings.Contains(police, "persistence-offline") || !strings.Contains(police, "validator signatures ✔") {
		t.Errorf("police page: %q", police)
	}

	mu.Lock()
	defer mu.Unlock()
	if len(exceptions) > 0 {
		t.Errorf("the explorer threw: %v", exceptions)
	}
}
