package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/lanyardhq/lanyard/internal/badge"
	"github.com/lanyardhq/lanyard/internal/config"
)

func cmdBadges(ctx context.Context, e *env, args []string) error {
	cfg := config.Default()
	fs := newFlagSet(e, "badges", "", "Writes every attendee's badge into one print-ready PDF (4 × 6 in pages), sorted by family name, with a progress bar.")
	if err := cfg.Register(fs, e.getenv, config.OptDB|config.OptEvent|config.OptMigrate|config.OptLog); err != nil {
		return err
	}
	out := fs.String("out", "badges.pdf", "the PDF to write; past --per-file badges, numbered files beside it (badges-001.pdf, …)")
	perFile := fs.Int("per-file", badge.DefaultPerFile, "badges in each PDF")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := cfg.Validate(); err != nil {
		return err
	}
	if *perFile < 1 {
		return fmt.Errorf("--per-file must be at least 1")
	}
	log := cfg.Logger(e.stderr)
	db, err := openStore(ctx, &cfg, log)
	if err != nil {
		return err
	}
	defer db.Close()
	ev, err := findEvent(ctx, db, cfg.Event)
	if err != nil {
		return err
	}
	n, err := db.CountAttendees(ctx, ev.ID)
	if err != nil {
		return err
	}
	// One file for a small event; else badges-001.pdf, badges-002.pdf, …
	// of --per-file badges each, so memory stays bounded.
	name := func(part int) string {
		if n <= *perFile {
			return *out
		}
		ext := filepath.Ext(*out)
		return fmt.Sprintf("%s-%03d%s", strings.TrimSuffix(*out, ext), part+1, ext)
	}
	var written []string
	start := time.Now()
	var bar *progressbar.ProgressBar
	total := 0
	svc := &badge.Service{DB: db, Event: ev}
	files, err := svc.WriteAll(ctx, ev.ID, *perFile, func(part int) (io.WriteCloser, error) {
		path := name(part)
		f, err := os.Create(path)
		if err != nil {
			return nil, err
		}
		written = append(written, path)
		return &bufferedFile{f: f, Writer: bufio.NewWriterSize(f, 1<<20)}, nil
	}, func(done, n int) {
		if bar == nil {
			bar = progressbar.NewOptions(n, progressbar.OptionSetWriter(e.stderr), progressbar.OptionSetDescription("badges"),
				progressbar.OptionShowCount(), progressbar.OptionSetItsString("badges"), progressbar.OptionShowIts(),
				progressbar.OptionThrottle(200*time.Millisecond), progressbar.OptionClearOnFinish())
		}
		bar.Set(done)
		total = n
	})
	if err != nil {
		for _, p := range written {
			os.Remove(p) // half a print job is no use to a printer
		}
		return err
	}
	took := time.Since(start)
	where := written[0]
	if files > 1 {
		where = fmt.Sprintf("%d files, %s to %s", files, written[0], written[len(written)-1])
	}
	fmt.Fprintf(e.stdout, "wrote %d badges to %s in %s (%.0f badges/s)\n", total, where, took.Round(time.Millisecond), float64(total)/took.Seconds())
	return nil
}

// bufferedFile flushes its buffer and closes the file on Close.
type bufferedFile struct {
	*bufio.Writer
	f *os.File
}

func (b *bufferedFile) Close() error {
	if err := b.Flush(); err != nil {
		b.f.Close()
		return err
	}
	return b.f.Close()
}
