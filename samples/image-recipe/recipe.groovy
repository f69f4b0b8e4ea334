// The sample site's image as a recipe file, for the command line:
//   hutch build -f samples/image-recipe/recipe.groovy -t samples/site
// (the context is the recipe's directory). samples/image-recipe.groovy builds the same image from a script.
from 'busybox'
run 'sh', '-c', 'mkdir -p /var/www && echo "recipe" > /etc/built-by'
copy 'site/', '/www/'
env 'GREETING', 'hello'
workdir '/www'
label 'team', 'core'
cmd 'sh', '-c', 'echo "$GREETING from $(pwd)"; cat index.html /etc/built-by'
