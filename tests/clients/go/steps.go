// The step protocol of tests/clients/js/run_steps.js, with the Go SDK: a scenario on stdin, outcomes on stdout.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
)

var placeholder = regexp.MustCompile(`\$\{([A-Za-z0-9_]+)\}`)

type step struct {
	Kind            string            `json:"kind"`
	Name            string            `json:"name"`
	Operation       string            `json:"operation"`
	Params          interface{}       `json:"params"`
	Save            map[string]string `json:"save"`
	AccessKeyID     string            `json:"accessKeyId"`
	SecretAccessKey string            `json:"secretAccessKey"`
	Path            string            `json:"path"`
	Body            interface{}       `json:"body"`
}

type scenario struct {
	Endpoint   string `json:"endpoint"`
	ControlURL string `json:"controlUrl"`
	Sequence   []step `json:"sequence"`
	Probes     []step `json:"probes"`
	Teardown   []step `json:"teardown"`
}

// outcome is {"step", "output"} or {"step", "errorCode", "errorMessage"} (errorCode null: no service error).
type outcome map[string]interface{}

// fill replaces every ${name} in strings (recursively) by the saved value; it reports names left unresolved.
func fill(value interface{}, saved map[string]string, missing *[]string) interface{} {
	switch typed := value.(type) {
	case string:
		return placeholder.ReplaceAllStringFunc(typed, func(whole string) string {
			name := placeholder.FindStringSubmatch(whole)[1]
			if found, ok := saved[name]; ok {
				return found
			}
			*missing = append(*missing, whole)
			return whole
		})
	case []interface{}:
		filled := make([]interface{}, len(typed))
		for i, item := range typed {
			filled[i] = fill(item, saved, missing)
		}
		return filled
	case map[string]interface{}:
		filled := map[string]interface{}{}
		for key, item := range typed {
			filled[key] = fill(item, saved, missing)
		}
		return filled
	}
	return value
}

func failed(name string, code interface{}, message string) outcome {
	return outcome{"step": name, "errorCode": code, "errorMessage": message}
}

func succeeded(name string, output map[string]interface{}) outcome {
	return outcome{"step": name, "output": output}
}

func apiCall(s *scenario, st step, saved map[string]string) outcome {
	var missing []string
	params, _ := json.Marshal(fill(st.Params, saved, &missing))
	if len(missing) > 0 {
		return failed(st.Name, "Unresolved", fmt.Sprintf("no saved value for %v", missing))
	}
	client, err := newClient(s.Endpoint, st.AccessKeyID, st.SecretAccessKey)
	if err != nil {
		return failed(st.Name, "ClientSetup", err.Error())
	}
	result := call(client, st.Operation, params)
	switch {
	case result.Failure != "":
		return failed(st.Name, nil, result.Failure)
	case result.Output == nil:
		return failed(st.Name, result.Code, result.Message)
	}
	for name, member := range st.Save {
		if value, ok := result.Output[member]; ok {
			saved[name] = fmt.Sprint(value)
		}
	}
	return succeeded(st.Name, result.Output)
}

func controlCall(s *scenario, st step, saved map[string]string) outcome {
	var missing []string
	url := strings.TrimRight(s.ControlURL, "/") + "/" + fill(st.Path, saved, &missing).(string)
	body, _ := json.Marshal(fill(st.Body, saved, &missing))
	response, err := http.Post(url, "application/json", bytes.NewReader(body))
	if err != nil {
		return failed(st.Name, "ControlFailed", fmt.Sprintf("%s: %v", url, err))
	}
	defer response.Body.Close()
	text, _ := io.ReadAll(response.Body)
	var answer map[string]interface{}
	if response.StatusCode == 200 && json.Unmarshal(text, &answer) == nil && answer["ok"] == true {
		return succeeded(st.Name, answer)
	}
	return failed(st.Name, "ControlFailed", fmt.Sprintf("%s: %d %s", url, response.StatusCode, text))
}

func run(s *scenario, st step, saved map[string]string) outcome {
	if st.Kind == "control" {
		return controlCall(s, st, saved)
	}
	return apiCall(s, st, saved)
}

// runSteps runs `sequence` in order, `probes` concurrently (each with a copy of the saved values), `teardown` last.
func runSteps(in io.Reader, out io.Writer) error {
	var s scenario
	if err := json.NewDecoder(in).Decode(&s); err != nil {
		return fmt.Errorf("reading the scenario: %w", err)
	}
	saved := map[string]string{}
	outcomes := []outcome{}
	for _, st := range s.Sequence {
		outcomes = append(outcomes, run(&s, st, saved))
	}
	probed := make([]outcome, len(s.Probes))
	var wg sync.WaitGroup
	for i, st := range s.Probes {
		copied := map[string]string{}
		for key, value := range saved {
			copied[key] = value
		}
		wg.Add(1)
		go func(i int, st step) {
			defer wg.Done()
			probed[i] = run(&s, st, copied)
		}(i, st)
	}
	wg.Wait()
	outcomes = append(outcomes, probed...)
	for _, st := range s.Teardown {
		outcomes = append(outcomes, run(&s, st, saved))
	}
	return json.NewEncoder(out).Encode(outcomes)
}
