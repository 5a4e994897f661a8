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
