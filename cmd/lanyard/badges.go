package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
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
	out := fs.String("out", "badges.pdf", "the PDF to write")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := cfg.Validate(); err != nil {
		return err
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
	f, err := os.Create(*out)
	if err != nil {
		return err
	}
	defer f.Close()
	w := bufio.NewWriterSize(f, 1<<20)
	start := time.Now()
	var bar *progressbar.ProgressBar
	total := 0
	svc := &badge.Service{DB: db, Event: ev}
	err = svc.WriteAll(ctx, w, ev.ID, func(done, n int) {
		if bar == nil {
			bar = progressbar.NewOptions(n, progressbar.OptionSetWriter(e.stderr), progressbar.OptionSetDescription("badges"),
				progressbar.OptionShowCount(), progressbar.OptionSetItsString("badges"), progressbar.OptionShowIts(),
				progressbar.OptionThrottle(200*time.Millisecond), progressbar.OptionClearOnFinish())
		}
		bar.Set(done)
		total = n
	})
	if err == nil {
		err = w.Flush()
	}
	if err == nil {
		err = f.Close()
	}
	if err != nil {
		os.Remove(*out) // half a PDF is no use to a printer
		return err
	}
	took := time.Since(start)
	fmt.Fprintf(e.stdout, "wrote %d badges to %s in %s (%.0f badges/s)\n", total, *out, took.Round(time.Millisecond), float64(total)/took.Seconds())
	return nil
}
