import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.StandardCopyOption

def copyTree = { Path source, Path target, Closure<Boolean> include ->
    Files.walk(source).withCloseable { paths ->
        paths.filter(include).each { Path from ->
            Path to = target.resolve(source.relativize(from).toString())
            if (Files.isDirectory(from)) {
                Files.createDirectories(to)
            } else {
                Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING)
            }
        }
    }
}

// This build's own copy of the shared tiny data set, in data/: all three runners build this one
// folder, so they all read it.
evaluate(new File(itData, '../copy-tiny-data.groovy'))

// Each runner starts with a local repository of its own that holds only the plugin under test
// (and its parent POM), copied from the repository invoker:install filled, so that no runner can
// pick up an older build of the plugin from elsewhere. Everything else they resolve as usual.
def plugin = new File(localRepositoryPath, 'dev/paddy').toPath()
['runner-a', 'runner-b', 'runner-c'].each { runner ->
    copyTree(plugin, new File(basedir, "${runner}/repo/dev/paddy").toPath(), { Path p ->
        !p.toString().contains("${File.separator}it${File.separator}")
    })
}
return true
