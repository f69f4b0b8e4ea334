package dev.hutch.cli.completion;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The heart of every completion script: a POSIX shell function, {@code _hutch_candidates}, that is
 * given the words typed so far (the last one being the word under the cursor) and prints what may
 * come there. bash and zsh source it as it is; fish runs it with {@code sh -c}. One logic, so the
 * three shells cannot disagree, and it reads the verb table generated from {@link CompletionModel}.
 *
 * <p>Names of containers, images, networks and volumes come from {@code hutch __complete KIND}, run
 * as the user typed hutch (so {@code ./hutch} completes from that build) with the --run-root and
 * --lib-root typed before the verb; its errors are thrown away, so a completion never prints noise.
 */
final class PosixCompletion {
    private PosixCompletion() {}

    static String functions(List<CompletionModel.Verb> verbs) {
        StringBuilder sb = new StringBuilder();
        sb.append("_hutch_verbs='").append(verbs.stream().filter(v -> !v.key().contains("_")).map(CompletionModel.Verb::key)
                .collect(Collectors.joining(" "))).append("'\n");
        sb.append("_hutch_globals='").append(String.join(" ", CompletionModel.GLOBAL_FLAGS)).append("'\n\n");
        sb.append("# _hutch_spec KEY: the flags (_hutch_f), those that take a value (_hutch_v), the values that are names\n");
        sb.append("# (_hutch_k), the operands (_hutch_o: :KIND, a|b words, - free; + repeats), whether the first operand\n");
        sb.append("# ends the flags (_hutch_x) and the sub-verbs (_hutch_s) of a verb (\"run\") or sub-verb (\"network_rm\").\n");
        sb.append("_hutch_spec() {\n    case \"$1\" in\n");
        for (CompletionModel.Verb v : verbs) {
            sb.append("        ").append(v.key()).append(")\n");
            sb.append("            _hutch_f='").append(String.join(" ", v.flags())).append("'\n");
            sb.append("            _hutch_v='").append(String.join(" ", v.valueFlags())).append("'\n");
            sb.append("            _hutch_k=' ").append(kinds(v.valueKinds())).append(" '\n");
            sb.append("            _hutch_o='").append(String.join(" ", v.operands())).append("'\n");
            sb.append("            _hutch_x='").append(v.operandEndsFlags() ? "1" : "").append("'\n");
            sb.append("            _hutch_s='").append(String.join(" ", v.subcommands())).append("' ;;\n");
        }
        sb.append("        *) return 1 ;;\n    esac\n}\n\n");
        sb.append(LOGIC);
        return sb.toString();
    }

    private static String kinds(Map<String, String> kinds) {
        return kinds.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
    }

    private static final String LOGIC = """
            _hutch_has() {
                case " $1 " in *" $2 "*) return 0 ;; esac
                return 1
            }

            # _hutch_names KIND: names from hutch itself, nothing at all when it fails
            _hutch_names() {
                (
                    if [ -n "$_hutch_rr" ]; then HUTCH_RUN_ROOT="$_hutch_rr"; export HUTCH_RUN_ROOT; fi
                    if [ -n "$_hutch_lr" ]; then HUTCH_LIB_ROOT="$_hutch_lr"; export HUTCH_LIB_ROOT; fi
                    "$_hutch_cmd" __complete "$1"
                ) 2>/dev/null </dev/null
            }

            # _hutch_candidates HUTCH WORD... CURRENT: what may be typed in place of CURRENT
            _hutch_candidates() {
                local _hutch_cmd="$1" _hutch_rr="" _hutch_lr="" _hutch_key="" _hutch_n=0 _hutch_dd="" _hutch_vf="" _hutch_kind="" _hutch_rest=""
                local _hutch_f="" _hutch_v="" _hutch_k="" _hutch_o="" _hutch_x="" _hutch_s=""
                [ $# -ge 2 ] || return 0
                shift
                # options before the verb
                while [ $# -gt 1 ]; do
                    case "$1" in
                        --run-root|--lib-root|--cgroup-parent)
                            [ $# -eq 2 ] && return 0
                            if [ "$1" = --run-root ]; then _hutch_rr="$2"; fi
                            if [ "$1" = --lib-root ]; then _hutch_lr="$2"; fi
                            shift 2 ;;
                        -*) shift ;;
                        *) break ;;
                    esac
                done
                if [ $# -eq 1 ]; then
                    case "$1" in -*) echo "$_hutch_globals" ;; *) echo "$_hutch_verbs" ;; esac
                    return 0
                fi
                _hutch_key="$1"; shift
                _hutch_spec "$_hutch_key" || return 0
                if [ -n "$_hutch_s" ]; then
                    if [ $# -eq 1 ]; then echo "$_hutch_s"; return 0; fi
                    case "$1" in list) _hutch_key="${_hutch_key}_ls" ;; remove) _hutch_key="${_hutch_key}_rm" ;; *) _hutch_key="${_hutch_key}_$1" ;; esac
                    shift
                    _hutch_spec "$_hutch_key" || return 0
                fi
                # the words between the verb and the cursor: flags, their values, operands
                while [ $# -gt 1 ]; do
                    if [ -z "$_hutch_dd" ]; then
                        case "$1" in
                            --) _hutch_dd=1; shift; continue ;;
                            -?*)
                                if _hutch_has "$_hutch_v" "$1"; then
                                    if [ $# -eq 2 ]; then _hutch_vf="$1"; break; fi
                                    shift
                                fi
                                shift; continue ;;
                        esac
                    fi
                    _hutch_n=$((_hutch_n + 1)); shift
                    # run IMAGE COMMAND...: what follows the image is the container's own command line
                    [ -n "$_hutch_x" ] && return 0
                done
                if [ -n "$_hutch_vf" ]; then
                    case "$_hutch_k" in
                        *" $_hutch_vf="*) _hutch_kind="${_hutch_k#* $_hutch_vf=}"; _hutch_names "${_hutch_kind%% *}" ;;
                    esac
                    return 0
                fi
                if [ -z "$_hutch_dd" ]; then
                    case "$1" in -*) echo "$_hutch_f"; return 0 ;; esac
                fi
                # the operand at position _hutch_n (from 0)
                _hutch_rest="$_hutch_o"
                while [ -n "$_hutch_rest" ]; do
                    _hutch_kind="${_hutch_rest%% *}"
                    case "$_hutch_rest" in *" "*) _hutch_rest="${_hutch_rest#* }" ;; *) _hutch_rest="" ;; esac
                    case "$_hutch_kind" in *+) _hutch_kind="${_hutch_kind%+}"; break ;; esac
                    [ "$_hutch_n" -eq 0 ] && break
                    _hutch_n=$((_hutch_n - 1)); _hutch_kind=""
                done
                case "$_hutch_kind" in
                    :*) _hutch_names "${_hutch_kind#:}" ;;
                    ""|-) ;;
                    *) echo "$_hutch_kind" | tr '|' ' ' ;;
                esac
                return 0
            }
            """;
}
