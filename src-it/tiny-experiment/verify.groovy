// The submission has one row per test image, in the sample submission's order, with known labels;
// the second build reused every cached member.
def submission = new File(basedir, 'target/paddy/submission.csv').readLines()
def sample = new File(basedir, 'data/sample_submission.csv').readLines()
def labels = new File(basedir, 'data/train_images').list() as Set
assert submission[0] == 'image_id,label'
assert submission.size() == sample.size() : "rows: ${submission.size()} vs ${sample.size()}"
for (int i = 1; i < sample.size(); i++) {
    def (id, label) = submission[i].split(',')
    assert id == sample[i].split(',')[0]
    assert labels.contains(label) : "unknown label ${label}"
}
def log = new File(basedir, 'build.log').text
def first = log.indexOf('paddy:train: 2 member(s) trained, 0 cached')
def second = log.indexOf('paddy:train: 0 member(s) trained, 2 cached')
assert first >= 0 : 'first build trained both members'
assert second > first : 'second build trained nothing'
assert log.contains('paddy:tta: 0 member(s) predicted, 2 cached')
assert log.contains('ENSEMBLE')
assert log.contains('resnet epoch 1/1  train_loss')
// The third build, after 'mvn clean': everything restored from the machine cache, nothing computed, same bytes.
def third = log.lastIndexOf('[INFO] Deleting ')
assert third > second : 'the third build cleaned target/'
def after = log.substring(third)
assert after.contains('paddy:train: 0 member(s) trained, 2 cached') : 'nothing trained after mvn clean'
assert after.contains('paddy:tta: 0 member(s) predicted, 2 cached') : 'nothing predicted after mvn clean'
assert after.contains('restored from the machine cache')
def hashes = (log =~ /submission: .* rows, sha256 ([0-9a-f]{64})\)/).collect { it[1] }
assert hashes.size() == 3 && hashes.unique().size() == 1 : "the same submission from all three builds: ${hashes}"
// paddy:predict (the fourth build) gave every test image, read as a folder of new images, the submission's label.
def predicted = new File(basedir, 'target/paddy/predict/test_images.csv').readLines()
assert predicted[0] == 'image,label,probability'
def submitted = submission.drop(1).collectEntries { def cells = it.split(','); [(cells[0]): cells[1]] }
assert predicted.size() == submission.size() : "rows: ${predicted.size()} vs ${submission.size()}"
for (String row : predicted.drop(1)) {
    def (image, label, probability) = row.split(',')
    assert submitted[image] == label : "${image}: predicted ${label}, submitted ${submitted[image]}"
    assert (probability as double) > 0 && (probability as double) <= 1
}
assert log =~ /paddy:predict: ${sample.size() - 1} labels written to .*test_images\.csv/
// paddy:cache listed the two members' weights and predictions, then pruned everything.
assert log =~ /models\s+2\s+[0-9.]+ MiB/
assert log =~ /predictions\s+2\s+/
assert log =~ /pruned \d+ entries, [0-9.]+ [KMG]iB freed \(unused for more than 0d\)/
assert new File(basedir, '.paddy-cache/models').list().length == 0
// paddy:export: each member's model zip written once and attached; the second build keeps them.
for (member in ['resnet', 'convnext']) {
    def zip = new java.util.zip.ZipFile(new File(basedir, "target/paddy/members/${member}/${member}-model.zip"))
    assert zip.entries().collect { it.name } == ["${member}/${member}.pt", "${member}/serving.properties",
                                                 "${member}/synset.txt"].collect { it.toString() }
    zip.close()
    def exported = log.indexOf("${member}: exported to members/${member}/${member}-model.zip")
    assert exported >= 0 && exported < second : "the first build exported ${member}"
    assert log.indexOf("${member}: model zip up to date", second) > second : "the second build kept ${member}'s zip"
    assert log.contains("attached ${member}-model.zip")
}
return true
