// The memory plan: written with the peaks tried, used by train, reused by the second build,
// and a member that cannot fit fails the build saying how far over the budget it is.
import groovy.json.JsonSlurper

def plan = new JsonSlurper().parse(new File(basedir, 'target/paddy/memory-plan.json'))
def small = plan.members.small
assert small.accum == 1 : "accum 1 fits 16 GiB"
assert small.trials.size() == 1
assert small.trials[0].peakMiB > 1
assert small.device == 'cpu()'

def log = new File(basedir, 'build.log').text
assert log.contains('small: probing peak memory for accum = [1, 2, 4, 8] until one fits')
assert log.contains('paddy:probe-memory: 1 member(s) probed')
assert log.contains('paddy:probe-memory: 0 member(s) probed') : 'the second build reused the plan'
assert log.contains('batch 8 = 1 x 8 micro-batches')
assert log =~ /member 'small' does not fit the memory budget of 1 MiB - 5% margin at any accumulation factor: its peak at accum 2 \(micro-batch 1\) is \d+ MiB, \d+ MiB \(\d+%\) over the limit of 1 MiB/
assert new File(basedir, 'target/paddy/submission.csv').readLines().size() == 7
return true
