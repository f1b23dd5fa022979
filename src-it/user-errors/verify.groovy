def log = new File(basedir, 'build.log').text
def weights = new File(basedir, 'not-a-model.params').canonicalPath
def image = new File(basedir, 'broken-data/test_images/200001.png').canonicalPath

// 1: the weights file, named with the member and what to do; classified as the user's to fix.
assert log.contains("Caused by: org.apache.maven.plugin.MojoFailureException: paddy:train: member 'tuned', weights: ${weights}: not a parameter file of a resnet18 model with this number of classes (")
assert log.contains("Point 'weights:' at a model.params that paddy wrote for a resnet18 with 3 classes, or remove the key to train from scratch")
assert !new File(basedir, 'target/weights/members').exists() : 'nothing was trained, not even the member without weights'

// 2: every unreadable test image is named before any training.
assert log.contains("Caused by: org.apache.maven.plugin.MojoFailureException: paddy:train: 1 test image(s) cannot be read, and every test image needs a prediction; replace or re-export them:")
assert log.contains("${image}: an HTML page, not an image (a download that saved an error or sign-in page?): download the image again")
assert !new File(basedir, 'target/test-image/members').exists() : 'nothing was trained'

// Neither is reported as an internal error.
assert !log.contains('failed unexpectedly')
assert !log.contains('Execution default-cli of goal')
return true
