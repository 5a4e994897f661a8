// Package media keeps uploaded files behind Storage, so the default folder
// can be swapped for shared storage when several instances run.
package media

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"
)

// ErrNotFound: no file at that path.
var ErrNotFound = errors.New("media: not found")

// Object is an open stored file.
type Object interface {
	io.ReadSeekCloser
	Size() int64
	ModTime() time.Time
}

// Storage keeps media bytes by a clean relative path like "2024/07/foto.jpg".
type Storage interface {
	Put(ctx context.Context, name string, r io.Reader) error
	Open(ctx context.Context, name string) (Object, error)
	Delete(ctx context.Context, name string) error
}

// Clean validates a storage path: relative, no "..", no hidden parts.
func Clean(name string) (string, error) {
	p := path.Clean("/" + strings.ReplaceAll(name, "\\", "/"))[1:]
	if p == "" || p == "." || strings.Contains(p, "..") {
		return "", fmt.Errorf("media: bad path %q", name)
	}
	for _, part := range strings.Split(p, "/") {
		if strings.HasPrefix(part, ".") {
			return "", fmt.Errorf("media: bad path %q", name)
		}
	}
	return p, nil
}

// Dir stores media in a folder (by default <data>/media).
type Dir struct{ Root string }

// Put writes the file atomically: to a temporary name, then renamed.
func (d Dir) Put(_ context.Context, name string, r io.Reader) error {
	p, err := Clean(name)
	if err != nil {
		return err
	}
	full := filepath.Join(d.Root, filepath.FromSlash(p))
	if err := os.MkdirAll(filepath.Dir(full), 0o750); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(full), ".upload-*")
	if err != nil {
		return err
	}
	if _, err := io.Copy(tmp, r); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), full)
}

type fileObject struct {
	*os.File
	info fs.FileInfo
}

func (f fileObject) Size() int64        { return f.info.Size() }
func (f fileObject) ModTime() time.Time { return f.info.ModTime() }

// Open opens a stored file.
func (d Dir) Open(_ context.Context, name string) (Object, error) {
	p, err := Clean(name)
	if err != nil {
		return nil, ErrNotFound
	}
	f, err := os.Open(filepath.Join(d.Root, filepath.FromSlash(p)))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, ErrNotFound
	} else if err != nil {
		return nil, err
	}
	info, err := f.Stat()
	if err != nil || info.IsDir() {
		f.Close()
		return nil, ErrNotFound
	}
	return fileObject{File: f, info: info}, nil
}

// Delete removes a stored file.
func (d Dir) Delete(_ context.Context, name string) error {
	p, err := Clean(name)
	if err != nil {
		return err
	}
	err = os.Remove(filepath.Join(d.Root, filepath.FromSlash(p)))
	if errors.Is(err, fs.ErrNotExist) {
		return ErrNotFound
	}
	return err
}
