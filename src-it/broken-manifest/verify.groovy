// The build fails before any training, listing every problem with file:line:col.
def log = new File(basedir, 'build.log').text
def manifest = new File(basedir, 'paddy.yaml').canonicalPath
def data = new File(basedir, 'data').canonicalPath
assert log.contains('4 problems in the paddy manifest:')
assert log.contains("${manifest}:2:10: data.train: ${data}/train_images has 1 class folder(s); the Paddy layout needs one folder per label (train/<label>/*.jpg) and at least two labels")
assert log.contains("${manifest}:3:9: data.test: no images (")
assert log.contains("${manifest}:6:7: defaults.lr: expected a number greater than 0.0 to 10.0, got 'fast'")
assert log.contains("${manifest}:9:11: members[0].arch: unknown architecture 'convnext_tiyn' (did you mean 'convnext_tiny'?)")
assert log.contains('Fix the manifest and run the build again.')
assert !log.contains('epoch 1/')
assert !new File(basedir, 'target/paddy/members').exists()
return true
