#!/usr/bin/env hutch
// Image recipes: an image built step by step like a Dockerfile (from, run, copy, env, workdir,
// user, cmd, entrypoint, label), each step a layer or a config change, each unchanged step taken
// from the build cache. The same recipe as a file: samples/image-recipe/recipe.groovy, built with
//   hutch build -f samples/image-recipe/recipe.groovy -t samples/site
def recipe = {
    from 'busybox'
    run 'sh', '-c', 'mkdir -p /var/www && echo "recipe" > /etc/built-by'
    copy 'site/', '/www/'              // from the build context: samples/image-recipe/site
    env 'GREETING', 'hello'
    workdir '/www'
    label 'team', 'core'
    cmd 'sh', '-c', 'echo "$GREETING from $(pwd)"; cat index.html /etc/built-by'
}
def site = image('samples/site', context: 'image-recipe', recipe)
def built = engine.image(site)
println "built ${site} (${built.shortId()}): ${built.layerDirs.size()} layers, cmd ${built.config.cmd}"

// A container from the new image runs its cmd, with its env and workdir, and sees the copied files.
def web = container('recipe-web') {
    image site
    network 'none'
}.run()
assert web.exitCode == 0
assert web.output == 'hello from /www\n<h1>built by a hutch recipe</h1>\nrecipe\n'

// Built again unchanged: every step comes from the cache, no container runs, same image.
def again = image('samples/site', context: 'image-recipe', quiet: true, recipe)
assert engine.image(again).id == built.id
println "rebuilt unchanged: every step cached, same image ${built.shortId()}"
