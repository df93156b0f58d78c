# Runs one client scenario with the AWS SDK for Ruby v1, in the step protocol of tests/clients/js/run_steps.js:
# stdin  {"endpoint", "controlUrl", "sequence": [step], "probes": [step], "teardown": [step]}
# stdout [{"step", "output"} | {"step", "errorCode", "errorMessage"}], one per step.
# `sequence` runs in order, `probes` concurrently after it (threads), `teardown` last; "${name}" in
# params, control paths and bodies is replaced by what an earlier call saved. Driven by
# tests/clients/drivers.py (RubySdkDriver), which leaves out the calls this SDK cannot make.
require 'json'
require 'net/http'
require_relative 'client'

PLACEHOLDER = /\$\{([A-Za-z0-9_]+)\}/.freeze

def fill(value, saved)
  case value
  when String then value.gsub(PLACEHOLDER) { saved.fetch(Regexp.last_match(1), Regexp.last_match(0)) }
  when Array then value.map { |item| fill(item, saved) }
  when Hash then value.transform_values { |item| fill(item, saved) }
  else value
  end
end

def api_call(request, step, saved)
  params = fill(step['params'], saved)
  missing = JSON.generate(params).scan(PLACEHOLDER)
  return { step: step['name'], errorCode: 'Unresolved', errorMessage: "no saved value for #{missing}" } if missing.any?

  client = ImportExportRuby.client(request['endpoint'], step['accessKeyId'], step['secretAccessKey'])
  kind, *rest = ImportExportRuby.call(client, step['operation'], params)
  case kind
  when :output
    (step['save'] || {}).each { |name, member| saved[name] = rest[0][member].to_s if rest[0].key?(member) }
    { step: step['name'], output: rest[0] }
  when :error then { step: step['name'], errorCode: rest[0], errorMessage: rest[1].to_s }
  else { step: step['name'], errorCode: nil, errorMessage: rest[0] }
  end
end

def control_call(request, step, saved)
  url = "#{request['controlUrl'].chomp('/')}/#{fill(step['path'], saved)}"
  response = Net::HTTP.post(URI(url), JSON.generate(fill(step['body'], saved)), 'Content-Type' => 'application/json')
  answer = begin
    JSON.parse(response.body)
  rescue JSON::ParserError
    nil
  end
  if response.code == '200' && answer.is_a?(Hash) && answer['ok'] == true
    { step: step['name'], output: answer }
  else
    { step: step['name'], errorCode: 'ControlFailed', errorMessage: "#{url}: #{response.code} #{response.body}" }
  end
end

def run(request, step, saved)
  step['kind'] == 'control' ? control_call(request, step, saved) : api_call(request, step, saved)
end

request = JSON.parse($stdin.read)
saved = {}
outcomes = []
begin
  request['sequence'].each { |step| outcomes << run(request, step, saved) }
  frozen = saved.dup
  outcomes.concat(request['probes'].map { |step| Thread.new { run(request, step, frozen.dup) } }.map(&:value))
ensure
  request['teardown'].each { |step| outcomes << run(request, step, saved) }
end
$stdout.write(JSON.generate(outcomes))
