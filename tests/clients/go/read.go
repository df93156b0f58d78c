// The reader of the reader oracle (tests/clients/oracle): what the Go SDK reads from each registered document.
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sync"
)

const readWorkers = 8

type readJob struct {
	ID              int             `json:"id"`
	Operation       string          `json:"operation"`
	Params          json.RawMessage `json:"params"`
	Endpoint        string          `json:"endpoint"`
	AccessKeyID     string          `json:"access_key_id"`
	SecretAccessKey string          `json:"secret_access_key"`
}

// reading is {"id", "output"}, {"id", "error": {"code", "message"}} or {"id", "failure"}.
type reading map[string]interface{}

func read(job readJob) reading {
	client, err := newClient(job.Endpoint, job.AccessKeyID, job.SecretAccessKey)
	if err != nil {
		return reading{"id": job.ID, "failure": fmt.Sprintf("%T: %v", err, err)}
	}
	result := call(client, job.Operation, job.Params)
	switch {
	case result.Failure != "":
		return reading{"id": job.ID, "failure": result.Failure}
	case result.Output == nil:
		return reading{"id": job.ID, "error": map[string]string{"code": result.Code, "message": result.Message}}
	}
	return reading{"id": job.ID, "output": result.Output}
}

// readDocuments reads the jobs (argv file or stdin) and writes one JSON line per job, in any order.
func readDocuments(args []string, out io.Writer) error {
	source := io.Reader(os.Stdin)
	if len(args) > 0 {
		file, err := os.Open(args[0])
		if err != nil {
			return err
		}
		defer file.Close()
		source = file
	}
	var jobs []readJob
	if err := json.NewDecoder(source).Decode(&jobs); err != nil {
		return fmt.Errorf("reading the jobs: %w", err)
	}
	queue := make(chan readJob)
	var lock sync.Mutex
	var wg sync.WaitGroup
	encoder := json.NewEncoder(out)
	for w := 0; w < readWorkers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for job := range queue {
				line := read(job)
				lock.Lock()
				encoder.Encode(line)
				lock.Unlock()
			}
		}()
	}
	for _, job := range jobs {
		queue <- job
	}
	close(queue)
	wg.Wait()
	return nil
}
