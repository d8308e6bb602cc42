package main

import (
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// loadKeys is how many accounts the throughput runs spread their reads
// over, so that no account's 350/s limit caps them.
const loadKeys = 256

// throughput reads the first page of items with o.conns keep-alive
// connections for o.duration, once from the first process alone and once
// through the proxy (three processes), after both have made every account.
func throughput(o options, f *fleet) error {
	for k := range loadKeys {
		for _, base := range []string{f.bases[0], f.proxy} {
			if _, err := call("GET", base, keyOf(5000+k), "/api/catalog-items", ""); err != nil {
				return err
			}
		}
	}
	alone := load(o, f.bases[0])
	proxied := load(o, f.proxy)
	fmt.Printf("one process:             %7.0f req/s (%d answers, %d not 200)\n", alone.rate, alone.n, alone.bad)
	fmt.Printf("haproxy, three processes: %7.0f req/s (%d answers, %d not 200)\n", proxied.rate, proxied.n, proxied.bad)
	fmt.Printf("ratio through the proxy: %.2fx (one run, %d connections, %v each; all on this machine's cores)\n",
		proxied.rate/alone.rate, o.conns, o.duration)
	if alone.bad+proxied.bad > 0 {
		return fmt.Errorf("%d answers were not 200", alone.bad+proxied.bad)
	}
	return nil
}

// rates are one load run's counts.
type rates struct {
	n, bad int64
	rate   float64
}

func load(o options, base string) rates {
	tr := &http.Transport{MaxIdleConnsPerHost: o.conns}
	defer tr.CloseIdleConnections()
	c := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	var n, bad atomic.Int64
	start := time.Now()
	stop := start.Add(o.duration)
	var wg sync.WaitGroup
	for w := range o.conns {
		wg.Go(func() {
			for i := w; time.Now().Before(stop); i += o.conns {
				if !get(c, base, keyOf(5000+i%loadKeys)) {
					bad.Add(1)
				}
				n.Add(1)
			}
		})
	}
	wg.Wait()
	return rates{n.Load(), bad.Load(), float64(n.Load()) / time.Since(start).Seconds()}
}

// get reads the first page of items as key; true when it was a 200.
func get(c *http.Client, base, key string) bool {
	req, _ := http.NewRequest("GET", base+"/api/catalog-items", nil)
	req.Header.Set("revision", newest)
	req.Header.Set("Authorization", "Klaviyo-API-Key "+key)
	resp, err := c.Do(req)
	if err != nil {
		return false
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode == 200
}
