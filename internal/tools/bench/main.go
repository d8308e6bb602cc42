// Command bench measures the emulator against the physical limit of its
// workload: a server that writes the very same response bytes from memory.
// It builds cmd/mockserver, starts it with default flags (access log and
// journal as shipped; rate limits off so the load is not throttled),
// fetches each request's exact answer once, starts a static-bytes server
// (this same program, in -static mode, on the same net/http server with the
// emulator's settings) serving
// those answers, and drives both with the same keep-alive load generator,
// A/B interleaved, for several rounds. It prints, per request, the median
// ratios of throughput and p99 latency and the server CPU per request, and
// the emulator's resident memory.
//
//	go run ./internal/tools/bench               (scripts/bench wraps it)
//	go run ./internal/tools/bench -only 'items' -duration 3s -rounds 5
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/klaviyo-mock/mockserver/internal/config"
	"github.com/klaviyo-mock/mockserver/internal/server"
	"github.com/klaviyo-mock/mockserver/internal/tools/proc"
)

const key = "pk_0123456789abcdef0123456789abcdef01"

func main() {
	static := flag.String("static", "", "internal: serve the answers in this file")
	duration := flag.Duration("duration", 2*time.Second, "load per server per request per round")
	rounds := flag.Int("rounds", 3, "rounds; each runs every request against both servers, in alternating order")
	conns := flag.Int("conns", 64, "keep-alive connections of the load generator")
	bin := flag.String("bin", "", "mockserver binary (default: build ./cmd/mockserver)")
	only := flag.String("only", "", "run only the requests whose name matches this regular expression")
	extra := flag.String("args", "", "extra flags for the emulator, space-separated")
	flag.Parse()
	var err error
	if *static != "" {
		err = serveStatic(*static)
	} else {
		err = run(*duration, *rounds, *conns, *bin, *only, strings.Fields(*extra))
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

// request is one kind of request measured.
type request struct {
	Name, Rev, Target string
	// next: the target is the links.next of the answer to Target. {job},
	// {item} and {category} in Target are ids of the account's.
	next bool
}

// requests are the list and get-one variants of the issue, for jobs and
// catalog entities, at old and new revisions.
var requests = []request{
	{Name: "jobs list 2022-10-17", Rev: "2022-10-17", Target: "/api/catalog-item-bulk-update-jobs/"},
	{Name: "jobs list 2024-10-15", Rev: "2024-10-15", Target: "/api/catalog-item-bulk-update-jobs"},
	{Name: "jobs list 2026-07-15", Rev: "2026-07-15", Target: "/api/catalog-item-bulk-update-jobs"},
	{Name: "jobs later page", Rev: "2026-07-15", Target: "/api/catalog-item-bulk-update-jobs", next: true},
	{Name: "jobs filter status", Rev: "2026-07-15", Target: "/api/catalog-item-bulk-update-jobs?filter=equals(status,%22complete%22)"},
	{Name: "jobs fields status", Rev: "2026-07-15", Target: "/api/catalog-item-bulk-update-jobs?fields%5Bcatalog-item-bulk-update-job%5D=status"},
	{Name: "job get one", Rev: "2026-07-15", Target: "/api/catalog-item-bulk-update-jobs/{job}"},
	{Name: "job include items", Rev: "2026-07-15", Target: "/api/catalog-item-bulk-update-jobs/{job}?include=items"},
	{Name: "variant create jobs 2023-06-15", Rev: "2023-06-15", Target: "/api/catalog-variant-bulk-create-jobs/"},
	{Name: "items list 2022-10-17", Rev: "2022-10-17", Target: "/api/catalog-items/"},
	{Name: "items list 2026-07-15", Rev: "2026-07-15", Target: "/api/catalog-items"},
	{Name: "items later page", Rev: "2026-07-15", Target: "/api/catalog-items", next: true},
	{Name: "items include variants", Rev: "2026-07-15", Target: "/api/catalog-items?include=variants"},
	{Name: "items filter published", Rev: "2026-07-15", Target: "/api/catalog-items?filter=equals(published,true)"},
	{Name: "item get one", Rev: "2026-07-15", Target: "/api/catalog-items/{item}"},
	{Name: "variants list 2023-07-15", Rev: "2023-07-15", Target: "/api/catalog-variants/"},
	{Name: "categories list", Rev: "2026-07-15", Target: "/api/catalog-categories"},
	{Name: "category items", Rev: "2026-07-15", Target: "/api/catalog-categories/{category}/items"},
	{Name: "item category ids", Rev: "2024-10-15", Target: "/api/catalog-items/{item}/relationships/categories"},
}

// answer is one recorded response.
type answer struct {
	Rev, Target string
	Status      int
	Header      http.Header
	Body        []byte
}

func run(duration time.Duration, rounds, conns int, bin, only string, extra []string) error {
	tmp, err := os.MkdirTemp("", "bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	bin, cleanup, err := proc.Binary(bin)
	if err != nil {
		return err
	}
	defer cleanup()
	emu, err := proc.Start(bin, append([]string{"--rate-limits", "off"}, extra...)...)
	if err != nil {
		return err
	}
	defer emu.Stop()
	var filter *regexp.Regexp
	if only != "" {
		if filter, err = regexp.Compile(only); err != nil {
			return err
		}
	}
	reqs, answers, err := record(emu.Base, filter)
	if err != nil {
		return err
	}
	file := filepath.Join(tmp, "answers.json")
	b, _ := json.Marshal(answers)
	if err := os.WriteFile(file, b, 0o600); err != nil {
		return err
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	stat, err := startStatic(self, file)
	if err != nil {
		return err
	}
	defer stat.Stop()

	fmt.Printf("bench: %d requests × %d rounds × %v per server, %d connections, GOMAXPROCS %d, %d CPUs\n",
		len(reqs), rounds, duration, conns, runtime.GOMAXPROCS(0), runtime.NumCPU())
	fmt.Printf("emulator %s (pid %d), static %s (pid %d)\n\n", emu.Base, emu.Pid(), stat.Base, stat.Pid())
	results, err := measure(reqs, answers, emu, stat, rounds, duration, conns)
	if err != nil {
		return err
	}
	report(reqs, answers, results, rounds)
	rss, peak := proc.RSS(emu.Pid())
	fmt.Printf("emulator RSS %d MiB (peak %d MiB)\n", rss>>20, peak>>20)
	return nil
}

// measure loads each request on both servers for rounds rounds, in
// alternating order, and returns every run's result by request and side
// (0 the emulator, 1 the static server).
func measure(reqs []request, answers []answer, emu, stat *proc.Server, rounds int, duration time.Duration, conns int) ([][2][]result, error) {
	results := make([][2][]result, len(reqs))
	for r := 0; r < rounds; r++ {
		for i, a := range answers {
			servers := []*proc.Server{emu, stat}
			if r%2 == 1 {
				servers = []*proc.Server{stat, emu}
			}
			for _, s := range servers {
				res, err := load(s, a, duration, conns)
				if err != nil {
					return nil, fmt.Errorf("%s on %s: %w", reqs[i].Name, s.Base, err)
				}
				side := 0
				if s == stat {
					side = 1
				}
				results[i][side] = append(results[i][side], res)
			}
		}
		fmt.Printf("round %d of %d done\n", r+1, rounds)
	}
	return results, nil
}

// report prints each request's medians, the ratios and the worst ones.
func report(reqs []request, answers []answer, results [][2][]result, rounds int) {
	fmt.Println()
	fmt.Printf("%-30s %8s %10s %10s %6s %9s %9s %6s %14s\n", "request", "bytes", "emu req/s", "static", "ratio",
		"emu p99", "static", "ratio", "CPU/req emu/st")
	var worstT, worstP float64 = 1e9, 0
	for i, rq := range reqs {
		e, s := median(results[i][0]), median(results[i][1])
		tr, pr := e.rps/s.rps, float64(e.p99)/float64(s.p99)
		worstT, worstP = min(worstT, tr), max(worstP, pr)
		fmt.Printf("%-30s %8d %10.0f %10.0f %6.2f %9s %9s %6.2f %6.0f/%-4.0fµs\n", rq.Name, len(answers[i].Body), e.rps, s.rps, tr,
			e.p99.Round(10*time.Microsecond), s.p99.Round(10*time.Microsecond), pr, e.cpu, s.cpu)
	}
	fmt.Printf("\nworst throughput ratio %.2f, worst p99 ratio %.2f (medians of %d rounds)\n", worstT, worstP, rounds)
}

// record fetches each request's answer from the emulator.
func record(base string, filter *regexp.Regexp) ([]request, []answer, error) {
	ids, err := accountIDs(base)
	if err != nil {
		return nil, nil, err
	}
	var reqs []request
	var out []answer
	for _, rq := range requests {
		if filter != nil && !filter.MatchString(rq.Name) {
			continue
		}
		target := rq.Target
		for k, v := range ids {
			target = strings.ReplaceAll(target, "{"+k+"}", url.PathEscape(v))
		}
		if rq.next {
			a, err := get(base, rq.Rev, target)
			if err != nil {
				return nil, nil, err
			}
			var doc struct {
				Links struct{ Next string } `json:"links"`
			}
			if err := json.Unmarshal(a.Body, &doc); err != nil || doc.Links.Next == "" {
				return nil, nil, fmt.Errorf("%s: no links.next", rq.Name)
			}
			u, _ := url.Parse(doc.Links.Next)
			target = u.RequestURI()
		}
		a, err := get(base, rq.Rev, target)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", rq.Name, err)
		}
		if a.Status != 200 {
			return nil, nil, fmt.Errorf("%s: GET %s answered %d: %.300s", rq.Name, target, a.Status, a.Body)
		}
		reqs = append(reqs, rq)
		out = append(out, a)
	}
	return reqs, out, nil
}

// accountIDs picks a job, an item and a category of the account.
func accountIDs(base string) (map[string]string, error) {
	ids := map[string]string{}
	for name, path := range map[string]string{"job": "/api/catalog-item-bulk-update-jobs", "item": "/api/catalog-items",
		"category": "/api/catalog-categories"} {
		a, err := get(base, "2026-07-15", path)
		if err != nil {
			return nil, err
		}
		var doc struct {
			Data []struct{ ID string } `json:"data"`
		}
		if err := json.Unmarshal(a.Body, &doc); err != nil || len(doc.Data) == 0 {
			return nil, fmt.Errorf("no %s in the account: %.200s", name, a.Body)
		}
		ids[name] = doc.Data[0].ID
	}
	return ids, nil
}

func get(base, rev, target string) (answer, error) {
	req, err := http.NewRequest(http.MethodGet, base+target, nil)
	if err != nil {
		return answer{}, err
	}
	req.Header.Set("revision", rev)
	req.Header.Set("Authorization", "Klaviyo-API-Key "+key)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return answer{}, err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	return answer{Rev: rev, Target: target, Status: res.StatusCode, Header: res.Header, Body: body}, err
}

// result is one load run.
type result struct {
	rps float64
	p99 time.Duration
	cpu float64 // server CPU µs per request
}

func median(rs []result) result {
	by := func(less func(a, b result) int) result {
		s := slices.Clone(rs)
		slices.SortFunc(s, less)
		return s[len(s)/2]
	}
	return result{
		rps: by(func(a, b result) int { return cmpF(a.rps, b.rps) }).rps,
		p99: by(func(a, b result) int { return cmpF(float64(a.p99), float64(b.p99)) }).p99,
		cpu: by(func(a, b result) int { return cmpF(a.cpu, b.cpu) }).cpu,
	}
}

func cmpF(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// load drives s with conns keep-alive connections sending a's request for
// duration (the first tenth is warm-up, not counted).
func load(s *proc.Server, a answer, duration time.Duration, conns int) (result, error) {
	host := strings.TrimPrefix(s.Base, "http://")
	raw := []byte("GET " + a.Target + " HTTP/1.1\r\nHost: " + host + "\r\nrevision: " + a.Rev +
		"\r\nAuthorization: Klaviyo-API-Key " + key + "\r\nUser-Agent: bench\r\n\r\n")
	warm := duration / 10
	start := time.Now()
	ld := &loader{host: host, raw: raw, from: start.Add(warm), end: start.Add(duration), pid: s.Pid()}
	var wg sync.WaitGroup
	for c := 0; c < conns; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ld.connection()
		}()
	}
	wg.Wait()
	cpu := proc.CPU(s.Pid()) - ld.cpu0
	if ld.err != nil {
		return result{}, ld.err
	}
	n := ld.count.Load()
	if n == 0 {
		return result{}, errors.New("no request completed")
	}
	slices.Sort(ld.lats)
	return result{
		rps: float64(n) / (duration - warm).Seconds(),
		p99: ld.lats[int(0.99*float64(len(ld.lats)-1))],
		cpu: float64(cpu.Microseconds()) / float64(n),
	}, nil
}

// loader is one load run: every connection sends raw until end, and what
// completes after from is measured.
type loader struct {
	host      string
	raw       []byte
	from, end time.Time
	pid       int

	count   atomic.Int64
	cpuOnce sync.Once
	cpu0    time.Duration
	mu      sync.Mutex
	lats    []time.Duration
	err     error
}

// connection sends requests on one keep-alive connection until the end,
// then adds its latencies (and its error, if the first) to the run's.
func (ld *loader) connection() {
	mine := make([]time.Duration, 0, 4096)
	err := func() error {
		conn, err := net.Dial("tcp", ld.host)
		if err != nil {
			return err
		}
		defer conn.Close()
		br := bufio.NewReaderSize(conn, 64<<10)
		for {
			t0 := time.Now()
			if t0.After(ld.end) {
				return nil
			}
			if _, err := conn.Write(ld.raw); err != nil {
				return err
			}
			if err := readResponse(br); err != nil {
				return err
			}
			if t0.After(ld.from) {
				ld.cpuOnce.Do(func() { ld.cpu0 = proc.CPU(ld.pid) })
				ld.count.Add(1)
				mine = append(mine, time.Since(t0))
			}
		}
	}()
	ld.mu.Lock()
	defer ld.mu.Unlock()
	ld.lats = append(ld.lats, mine...)
	if err != nil && ld.err == nil {
		ld.err = err
	}
}

// readResponse reads one HTTP/1.1 response with a Content-Length and
// discards it; a status other than 200 is an error.
func readResponse(br *bufio.Reader) error {
	line, err := br.ReadSlice('\n')
	if err != nil {
		return err
	}
	if !bytes.HasPrefix(line, []byte("HTTP/1.1 200")) {
		return fmt.Errorf("answer %q", bytes.TrimSpace(line))
	}
	length := -1
	for {
		line, err = br.ReadSlice('\n')
		if err != nil {
			return err
		}
		if len(line) <= 2 {
			break
		}
		if k, v, ok := bytes.Cut(line, []byte(":")); ok && bytes.EqualFold(k, []byte("Content-Length")) {
			length, _ = strconv.Atoi(string(bytes.TrimSpace(v)))
		}
	}
	if length < 0 {
		return errors.New("an answer without Content-Length")
	}
	_, err = br.Discard(length)
	return err
}

// startStatic runs this program as the static-bytes server.
func startStatic(self, file string) (*proc.Server, error) {
	return proc.StartCmd(exec.Command(self, "-static", file))
}

// serveStatic serves the recorded answers, each with its headers (but
// Date), keyed by revision and request target.
func serveStatic(file string) error {
	b, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	var answers []answer
	if err := json.Unmarshal(b, &answers); err != nil {
		return err
	}
	byKey := map[string]*answer{}
	for i := range answers {
		a := &answers[i]
		a.Header.Del("Date")
		byKey[a.Rev+" "+a.Target] = a
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	fmt.Println("listening on " + ln.Addr().String())
	// The emulator's own net/http settings (timeouts, header cap,
	// connection limit), with its default flags: only what is served
	// differs.
	cfg, err := config.Parse(nil, func(string) string { return "" }, io.Discard)
	if err != nil {
		return err
	}
	hs := server.HTTPServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a := byKey[r.Header.Get("revision")+" "+r.RequestURI]
		if a == nil {
			http.NotFound(w, r)
			return
		}
		h := w.Header()
		for k, v := range a.Header {
			h[k] = v
		}
		w.WriteHeader(a.Status)
		w.Write(a.Body)
	}), cfg, nil)
	return hs.Serve(server.Limit(hs, ln, cfg, nil))
}
