// The generated project: the files a new experiment starts with, and a build that really trained.
def project = new File(basedir, 'my-experiment')
def pom = new File(project, 'pom.xml').text
assert pom.contains('<packaging>paddy</packaging>')
assert pom.contains('<artifactId>paddy-maven-plugin</artifactId>')
assert pom.contains("<version>${projectVersion}</version>") : 'the plugin at the archetype\'s version'
assert pom.contains('<extensions>true</extensions>')
assert !pom.contains('<goal>') : 'the packaging binds the goals'
assert new File(project, '.gitignore').text.readLines().contains('target/')
assert !new File(project, '__gitignore__').exists()
def manifest = new File(project, 'paddy.yaml').text
for (key in ['budget:', 'budget_margin:', 'test_labels:', 'labels:', 'valid_pct:', 'epochs:', 'lr:', 'batch_size:',
             'schedule:', 'freeze_epochs:', 'lr_mult:', 'optimizer:', 'weight_decay:', 'item:', 'input_size:',
             'seed:', 'normalize:', 'targets:', 'accum:', 'weight:', 'weights:', 'head:', 'tta:', 'beta:',
             'ensemble:', 'submission:', 'label_column:', 'competition:', 'message:']) {
    assert manifest.contains(key) : "paddy.yaml has no ${key}"
}
def classes = new File(project, 'data/train_images').listFiles().findAll { it.directory }
assert classes.size() >= 2 && classes.every { it.list().size() > 0 }
assert new File(project, 'data/test_images').list().size() > 0

// The build: every goal of the packaging ran, in its order, and the member trained.
def log = new File(basedir, 'build.log').text
// The packaging's executions are named default-<goal>: each ran once, in the lifecycle's order.
def order = ['probe-memory', 'lr-find', 'train', 'tta', 'ensemble', 'submit', 'export', 'report'].collect { "(default-${it}) @ my-experiment" }
def positions = order.collect { log.indexOf(it) }
assert positions.every { it >= 0 } : "goals that did not run: ${order.findAll { log.indexOf(it) < 0 }}"
assert positions == positions.sort(false) : "goals out of order: ${positions}"
assert log.contains('paddy:train: 1 member(s) trained, 0 cached')
def submission = new File(project, 'target/paddy/submission.csv').readLines()
def sample = new File(project, 'data/sample_submission.csv').readLines()
assert submission.size() == sample.size()
assert new File(project, 'target/paddy/report/index.html').exists()
assert new File(project, '.paddy-cache').directory : 'the build used its own cache, not ~/.cache/paddy'

// 3: install trained nothing and installed what a pom project installs, plus the predictions paddy:tta
// attached (classifier <member>-<key>) and the model paddy:export attached (<member>-model): the pom
// once, no main file of the packaging's own.
assert log.contains('paddy:train: 0 member(s) trained, 1 cached') : 'the install build used the cache'
def installed = new File(localRepositoryPath, 'org/example/my-experiment/1.0-SNAPSHOT').list().findAll { it.startsWith('my-experiment-') }.sort()
assert installed.count { it == 'my-experiment-1.0-SNAPSHOT.pom' } == 1 : "installed: ${installed}"
assert installed.any { it ==~ /my-experiment-1\.0-SNAPSHOT-resnet18-[0-9a-f]+\.probs/ } : "installed: ${installed}"
assert installed.any { it ==~ /my-experiment-1\.0-SNAPSHOT-resnet18-[0-9a-f]+\.training\.json/ } : "installed: ${installed}"
assert installed.contains('my-experiment-1.0-SNAPSHOT-resnet18-model.zip') : "the exported model (paddy:export): ${installed}"
assert installed.size() == 4 : "only the pom, the predictions and the model: ${installed}"
return true
