// Command trainmodel rebuilds the spam package's shipped model from its
// training data. Run it from the module root after editing
// internal/comment/spam/trainingdata/ham.txt or spam.txt:
//
//	go run ./internal/comment/spam/cmd/trainmodel
//
// The package's tests fail while model.json is out of date.
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"warta/internal/comment/spam"
)

func main() {
	dir := flag.String("data", "internal/comment/spam/trainingdata", "folder holding ham.txt and spam.txt")
	out := flag.String("out", "internal/comment/spam/model.json", "model file to write")
	flag.Parse()

	ham, err := readCorpus(filepath.Join(*dir, "ham.txt"))
	if err != nil {
		log.Fatal(err)
	}
	spamLines, err := readCorpus(filepath.Join(*dir, "spam.txt"))
	if err != nil {
		log.Fatal(err)
	}
	data, err := spam.Train(ham, spamLines).MarshalJSON()
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(*out, data, 0o644); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s: %d ham, %d spam, %d bytes\n", *out, len(ham), len(spamLines), len(data))
}

func readCorpus(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	lines, err := spam.ReadCorpus(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return lines, nil
}
