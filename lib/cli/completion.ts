// Bash completion generated from the commander definitions: commands,
// their flags, flag values (files), and the ids of existing containers
// (`ts-oci [--root R] list -q`) for commands that act on one.
import type { Command, Option } from 'commander';

const takesValue = (o: Option): boolean => o.required || o.optional;
const flagNames = (o: Option): string[] => [o.short, o.long].filter((f): f is string => !!f);

/**
 * A command acts on an existing container when its first argument is the
 * id and it has no --bundle (create and run take a new id).
 */
export function takesExistingId(cmd: Command): boolean {
  const first = cmd.registeredArguments[0];
  return first?.name() === 'id' && !cmd.options.some((o) => o.long === '--bundle');
}

const words = (list: string[]): string => list.join(' ');

function commandCase(cmd: Command, program: Command): string {
  const visible = cmd.options.filter((o) => !o.hidden);
  const opts = [...visible.flatMap(flagNames), '-h', '--help'];
  const values = visible.filter(takesValue).flatMap(flagNames);
  let operands = '';
  if (takesExistingId(cmd)) operands = 'ids=1';
  else if (cmd.name() === 'help') operands = `choices="${words(program.commands.map((c) => c.name()))}"`;
  else if (cmd.name() === 'completion') operands = 'choices="bash"';
  return `    ${cmd.name()}) opts="${words(opts)}"; values="${words(values)}"; ${operands || ':'} ;;`;
}

export function bashCompletion(program: Command): string {
  const globals = program.options.filter((o) => !o.hidden);
  const commands = program.commands.map((c) => c.name());
  return `# bash completion for ts-oci, generated from its command definitions:
#   source <(ts-oci completion bash)
_ts_oci() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}"
  local globals="${words([...globals.flatMap(flagNames), '-h', '--help'])}"
  local global_values="${words(globals.filter(takesValue).flatMap(flagNames))}"
  local commands="${words(commands)}"
  local i w cmd="" root=""
  for ((i = 1; i < COMP_CWORD; i++)); do
    w="\${COMP_WORDS[i]}"
    [[ -n $cmd ]] && break
    case "$w" in
      --root) root="\${COMP_WORDS[i+1]}"; ((i++)); continue ;;
      --root=*) root="\${w#--root=}"; continue ;;
    esac
    if [[ " $global_values " == *" $w "* ]]; then ((i++)); continue; fi
    [[ $w == -* ]] && continue
    cmd="$w"
  done
  COMPREPLY=()
  if [[ -z $cmd ]]; then
    if [[ " $global_values " == *" $prev "* ]]; then COMPREPLY=($(compgen -f -- "$cur"))
    elif [[ $cur == -* ]]; then COMPREPLY=($(compgen -W "$globals" -- "$cur"))
    else COMPREPLY=($(compgen -W "$commands" -- "$cur")); fi
    return 0
  fi
  local opts="" values="" ids="" choices=""
  case "$cmd" in
${program.commands.map((c) => commandCase(c, program)).join('\n')}
    *) return 0 ;;
  esac
  if [[ " $values " == *" $prev "* ]]; then COMPREPLY=($(compgen -f -- "$cur")); return 0; fi
  if [[ $cur == -* ]]; then COMPREPLY=($(compgen -W "$opts" -- "$cur")); return 0; fi
  if [[ -n $ids ]]; then
    COMPREPLY=($(compgen -W "$(ts-oci \${root:+--root "$root"} list -q 2>/dev/null)" -- "$cur"))
  elif [[ -n $choices ]]; then
    COMPREPLY=($(compgen -W "$choices" -- "$cur"))
  fi
  return 0
}
complete -o default -F _ts_oci ts-oci
`;
}
