// Runner A and B each trained their own member only and deployed its predictions; the third build
// resolved both from the team repository, trained and predicted nothing, and wrote the submission.
def log = new File(basedir, 'build.log').text
def builds = log.split(/(?m)^\[INFO\] Scanning for projects/)
assert builds.size() >= 4 : "expected 3 builds in build.log, found ${builds.size() - 1}"
def (a, b, c) = [builds[1], builds[2], builds[3]]

assert a.contains('m1: trains (new)') && !a.contains('m2: trains')
assert a.contains('paddy:train: 1 member(s) trained, 0 cached')
assert a.contains('paddy:ensemble: skipped, paddy.members selects m1 only')
assert b.contains('m2: trains (new)') && !b.contains('m1: trains')

def team = new File(basedir, 'team-repo/dev/paddy/it/shared-remote/1.0')
def deployed = team.list().findAll { it.endsWith('.probs') }.sort()
assert deployed.size() == 2 : "deployed: ${deployed}"
assert deployed[0].startsWith('shared-remote-1.0-m1-') && deployed[1].startsWith('shared-remote-1.0-m2-')
// Each member's training record travels with its predictions, under the same classifier.
def records = team.list().findAll { it.endsWith('.training.json') }.sort()
assert records == deployed.collect { it.replace('.probs', '.training.json') } : "training records: ${records}"

// Separate local repositories: A's does not hold B's member.
assert !new File(basedir, 'runner-a/repo/dev/paddy/it/shared-remote/1.0').list().any { it.contains('-m2-') }

assert c.contains('paddy:train: 0 member(s) trained, 2 cached') : 'the third build trained nothing'
assert c.contains('m1: TTA predictions resolved from dev.paddy.it:shared-remote:probs:m1-')
assert c.contains('m2: TTA predictions resolved from dev.paddy.it:shared-remote:probs:m2-')
assert !c.contains(': trains (')
assert c.contains('paddy:tta: 0 member(s) predicted, 2 cached')
assert c.contains('ENSEMBLE')
assert !new File(basedir, 'runner-c/paddy/members').exists() : 'no weights on the third machine'
// ...but the records came along: the third machine's report can show curves and who trained each member.
['m1', 'm2'].each { m ->
    def record = new groovy.json.JsonSlurper().parse(new File(basedir, "runner-c/paddy/predictions/${m}.training.json"))
    assert record.member == m && record.epochs.size() == 1 && record.trainedBy != null
}
// The third build's report shows each member's curves and the runner's build that trained it.
def report = new File(basedir, 'runner-c/paddy/report/index.html').text
['m1', 'm2'].each { m ->
    def section = report.substring(report.indexOf("id=\"member-${m}\""))
    assert section.contains("id=\"member-${m}-training\"") && section.contains('data:image/png;base64,')
    assert section.contains('trained by') && !section.substring(0, 2000).contains('not recorded') : "member ${m}'s record is shown"
}
def submission = new File(basedir, 'runner-c/paddy/submission.csv').readLines()
assert submission.size() == new File(basedir, 'data/sample_submission.csv').readLines().size()

// Every runner ran the plugin under test, not an older build found elsewhere.
def jar = "dev/paddy/paddy-maven-plugin/${projectVersion}/paddy-maven-plugin-${projectVersion}.jar"
def tested = new File(localRepositoryPath, jar).bytes.digest('SHA-256')
['runner-a', 'runner-b', 'runner-c'].each {
    assert new File(basedir, "${it}/repo/${jar}").bytes.digest('SHA-256') == tested : "${it} used another plugin build"
}

assert new File(basedir, 'matrix.txt').text == 'members=["m1","m2"]\n'
return true
