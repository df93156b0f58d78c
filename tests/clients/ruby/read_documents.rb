# The reader of the reader oracle with the AWS SDK for Ruby v1: what the SDK reads from each document.
# Input: a JSON array of jobs on stdin, or in the file named by ARGV[0]:
#   {"id", "operation", "params", "endpoint", "access_key_id", "secret_access_key"}
# Output: JSON Lines, one per job: {"id", "output"} | {"id", "error": {"code", "message"}} | {"id", "failure"}.
# A job for an operation the SDK lacks (GetShippingLabel: its API configuration has none) is a failure
# line naming that. Jobs run on a few threads; lines come in any order.
require 'json'
require_relative 'client'

WORKERS = 8

def read(job)
  client = ImportExportRuby.client(job['endpoint'], job['access_key_id'], job['secret_access_key'])
  kind, *rest = ImportExportRuby.call(client, job['operation'], job['params'])
  case kind
  when :output then { id: job['id'], output: rest[0] }
  when :error then { id: job['id'], error: { code: rest[0], message: rest[1].to_s } }
  else { id: job['id'], failure: rest[0] }
  end
end

jobs = JSON.parse(ARGV[0] ? File.read(ARGV[0]) : $stdin.read)
queue = Queue.new
jobs.each { |job| queue << job }
queue.close
lock = Mutex.new
Array.new(WORKERS) do
  Thread.new do
    while (job = queue.pop)
      line = JSON.generate(read(job))
      lock.synchronize { $stdout.puts(line) }
    end
  end
end.each(&:join)
