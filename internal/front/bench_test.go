package front

import (
	"io"
	"net"
	"testing"
	"time"
)

// BenchmarkFastHit measures one keep-alive request answered from memory
// over loopback TCP, client included; allocs/op are the server's (the
// client reuses its buffers).
func BenchmarkFastHit(b *testing.B) {
	addr, _, _ := start(b)
	c, err := net.Dial("tcp", addr)
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	req := []byte("GET /fast HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip, deflate, br\r\nUser-Agent: bench\r\n\r\n")
	// One exchange to learn the answer's size.
	c.SetDeadline(time.Now().Add(5 * time.Second))
	c.Write(req)
	buf := make([]byte, 4096)
	n, err := c.Read(buf)
	if err != nil {
		b.Fatal(err)
	}
	c.SetDeadline(time.Time{})
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Write(req); err != nil {
			b.Fatal(err)
		}
		if _, err := io.ReadFull(c, buf[:n]); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParse measures reading a browser-like request head, the fast
// path's own work without the network.
func BenchmarkParse(b *testing.B) {
	head := []byte("GET /2024/07/pekerja-migran-hongkong-berburu-kos-antar-kontrak HTTP/1.1\r\nHost: warta.example\r\n" +
		"User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36\r\n" +
		"Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\nAccept-Encoding: gzip, deflate, br, zstd\r\n" +
		"Accept-Language: id-ID,id;q=0.9,en;q=0.8\r\nCookie: _ga=GA1.1.1234567890.1700000000\r\nConnection: keep-alive\r\n\r\n")
	var r Request
	b.ReportAllocs()
	for b.Loop() {
		r = Request{}
		if _, ok := parse(head, &r); !ok {
			b.Fatal("not parsed")
		}
	}
}
