import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.StandardCopyOption

// Each runner starts with a local repository of its own that holds only the plugin under test
// (and its parent POM), copied from the repository invoker:install filled, so that no runner can
// pick up an older build of the plugin from elsewhere. Everything else they resolve as usual.
def source = new File(localRepositoryPath, 'dev/paddy').toPath()
['runner-a', 'runner-b', 'runner-c'].each { runner ->
    def target = new File(basedir, "${runner}/repo/dev/paddy").toPath()
    Files.walk(source).withCloseable { paths ->
        paths.filter { !it.toString().contains("${File.separator}it${File.separator}") }.each { Path from ->
            Path to = target.resolve(source.relativize(from).toString())
            if (Files.isDirectory(from)) {
                Files.createDirectories(to)
            } else {
                Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING)
            }
        }
    }
}
return true
