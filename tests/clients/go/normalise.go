// The generated client's output structures as JSON with botocore's member names (the reader oracle's
// normal form): nil members omitted, timestamps as ISO 8601 UTC without a zero fraction.
package main

import (
	"reflect"
	"strings"
	"time"
)

var timeType = reflect.TypeOf(time.Time{})

// normalise maps an output structure to botocore member names (the generated field names are the
// model's member names) and JSON values, keeping every member the SDK set, and nothing else.
func normalise(structure reflect.Value) map[string]interface{} {
	out := map[string]interface{}{}
	for i := 0; i < structure.NumField(); i++ {
		field := structure.Type().Field(i)
		if field.PkgPath != "" || field.Name == "_" {
			continue
		}
		if value, present := jsonValue(structure.Field(i)); present {
			out[field.Name] = value
		}
	}
	return out
}

func jsonValue(value reflect.Value) (interface{}, bool) {
	switch value.Kind() {
	case reflect.Ptr:
		if value.IsNil() {
			return nil, false
		}
		if value.Elem().Type() == timeType {
			return isoTime(value.Elem().Interface().(time.Time)), true
		}
		return jsonValue(value.Elem())
	case reflect.Slice:
		if value.IsNil() {
			return nil, false
		}
		items := make([]interface{}, 0, value.Len())
		for i := 0; i < value.Len(); i++ {
			item, present := jsonValue(value.Index(i))
			if !present {
				item = nil
			}
			items = append(items, item)
		}
		return items, true
	case reflect.Struct:
		return normalise(value), true
	default:
		return value.Interface(), true
	}
}

func isoTime(instant time.Time) string {
	text := instant.UTC().Format("2006-01-02T15:04:05.000000Z")
	return strings.Replace(text, ".000000Z", "Z", 1)
}
