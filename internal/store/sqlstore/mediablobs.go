package sqlstore

import (
	"bytes"
	"context"
	"errors"
	"io"
	"time"

	"warta/internal/media"
	"warta/internal/store"
)

// BlobStorage keeps media bytes in the database (table media_blobs), so
// that several instances sharing one PostgreSQL serve the same files
// without a shared folder. Each file is read whole into memory, which is
// fine for images of a few megabytes.
type BlobStorage struct{ s *Store }

// MediaStorage returns the media storage that lives in this database.
func (s *Store) MediaStorage() *BlobStorage { return &BlobStorage{s: s} }

var _ media.Storage = (*BlobStorage)(nil)

// Put stores (or replaces) the file at name.
func (b *BlobStorage) Put(ctx context.Context, name string, r io.Reader) error {
	p, err := media.Clean(name)
	if err != nil {
		return err
	}
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	return b.s.tx(ctx, func(q querier) error {
		_, err := q.ExecContext(ctx, `INSERT INTO media_blobs (path, data, mod_time) VALUES (?, ?, ?)
			ON CONFLICT (path) DO UPDATE SET data = excluded.data, mod_time = excluded.mod_time`, p, data, utc(b.s.now()))
		return err
	})
}

// Open reads the file at name.
func (b *BlobStorage) Open(ctx context.Context, name string) (media.Object, error) {
	p, err := media.Clean(name)
	if err != nil {
		return nil, media.ErrNotFound
	}
	var data []byte
	var mod time.Time
	err = b.s.read().QueryRowContext(ctx, `SELECT data, mod_time FROM media_blobs WHERE path = ?`, p).Scan(&data, &mod)
	if err = mapErr(err); errors.Is(err, store.ErrNotFound) {
		return nil, media.ErrNotFound
	} else if err != nil {
		return nil, err
	}
	return &blob{Reader: bytes.NewReader(data), size: int64(len(data)), mod: mod.UTC()}, nil
}

// Delete removes the file at name.
func (b *BlobStorage) Delete(ctx context.Context, name string) error {
	p, err := media.Clean(name)
	if err != nil {
		return err
	}
	return b.s.tx(ctx, func(q querier) error {
		res, err := q.ExecContext(ctx, `DELETE FROM media_blobs WHERE path = ?`, p)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return media.ErrNotFound
		}
		return nil
	})
}

type blob struct {
	*bytes.Reader
	size int64
	mod  time.Time
}

func (b *blob) Size() int64        { return b.size }
func (b *blob) ModTime() time.Time { return b.mod }
func (b *blob) Close() error       { return nil }
