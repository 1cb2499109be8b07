# bash completion for fastgpu: commands, each command's options (read from its
# --help), policy names (from `fastgpu policies`), trace formats and files.
#   source scripts/fastgpu-completion.bash     (or copy it to /etc/bash_completion.d/fastgpu)
# It completes `fastgpu` on the PATH and `build/fastgpu`, asking the executable
# being completed, so options and policies are always those of that build.

_fastgpu_commands="run compare gen policies solve convert pack regress"

# The long and short options of `$1 $2 --help`.
_fastgpu_options() {
  "$1" "$2" --help 2>/dev/null | grep -oE '(^|[ [])--?[a-zA-Z][a-zA-Z0-9-]*' | tr -d ' [' | sort -u
}

# The registered policy names: the first word of each line of `fastgpu policies` after its rule.
_fastgpu_policies() {
  "$1" policies 2>/dev/null | awk 'seen && /^[a-z]/ {print $1} /^---/ {seen = 1}'
}

_fastgpu() {
  local exe=${COMP_WORDS[0]} cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
  COMPREPLY=()
  if [[ $COMP_CWORD -eq 1 ]]; then
    mapfile -t COMPREPLY < <(compgen -W "$_fastgpu_commands --help --version" -- "$cur")
    return
  fi
  local cmd=${COMP_WORDS[1]}
  case $prev in
    --policy | --policies | -p | --baseline | -b)
      if [[ $cmd == solve ]]; then
        mapfile -t COMPREPLY < <(compgen -W "ga min-min max-min sufferage mct met olb" -- "$cur")
      elif [[ $cmd != regress ]]; then
        mapfile -t COMPREPLY < <(compgen -W "$(_fastgpu_policies "$exe")" -- "${cur##*,}")
        [[ $cur == *,* ]] && COMPREPLY=("${COMPREPLY[@]/#/${cur%,*},}")
      else
        mapfile -t COMPREPLY < <(compgen -f -- "$cur")
      fi
      return ;;
    --format)
      local formats="csv philly alibaba2020 alibaba2023 helios swf gavel tiresias"
      [[ $cmd == solve ]] && formats="braun csv"
      mapfile -t COMPREPLY < <(compgen -W "$formats" -- "$cur")
      return ;;
    --backend) mapfile -t COMPREPLY < <(compgen -W "auto cpu cuda" -- "$cur"); return ;;
    --to) mapfile -t COMPREPLY < <(compgen -W "csv batsim" -- "$cur"); return ;;
    --seed | --seeds | -s | --threads | -j | --set | --generations | --population) return ;;
  esac
  if [[ $cmd == policies && $cur != -* ]]; then
    mapfile -t COMPREPLY < <(compgen -W "$(_fastgpu_policies "$exe")" -- "$cur")
  elif [[ $cur == -* ]]; then
    mapfile -t COMPREPLY < <(compgen -W "$(_fastgpu_options "$exe" "$cmd")" -- "$cur")
  else
    mapfile -t COMPREPLY < <(compgen -f -- "$cur")
    compopt -o filenames 2>/dev/null
  fi
}

complete -F _fastgpu fastgpu build/fastgpu ./build/fastgpu
