import java.nio.file.Files

// The shared tiny data set, then what a user gets wrong: a weights file that is not a model's
// parameters, and a second data folder whose first test image is not an image.
evaluate(new File(itData, '../copy-tiny-data.groovy'))
new File(basedir, 'not-a-model.params').text = 'this is not a parameter file'
def data = new File(basedir, 'data').toPath()
def broken = new File(basedir, 'broken-data').toPath()
Files.walk(data).withCloseable { paths ->
    paths.each { from ->
        def to = broken.resolve(data.relativize(from).toString())
        if (Files.isDirectory(from)) Files.createDirectories(to) else Files.copy(from, to)
    }
}
new File(basedir, 'broken-data/test_images/200001.png').text = '<html>not an image</html>'
return true
