/// The words and phrases the deterministic parser recognises, folded (lower case, no accents).
/// Phrases are matched on word boundaries against the folded question.
enum Vocabulary {
    /// Words that only appear in Portuguese questions (folded), for language detection.
    static let portugueseWords: Set<String> = [
        "o", "os", "as", "do", "da", "dos", "das", "de", "que", "qual", "quais", "quem", "como", "esta", "estao",
        "foi", "foram", "hoje", "ontem", "ultimas", "ultima", "ultimos", "ultimo", "horas", "hora", "minutos", "dias",
        "desde", "mostre", "mostrar", "mostra", "liste", "listar", "lista", "falhas", "falharam", "falhou", "falha",
        "saude", "ambiente", "responsavel", "resolvo", "resolver", "resolve", "por", "porque", "pq", "ajuda", "nao",
        "rodando", "rodou", "esperando", "aguardando", "no", "na", "nos", "nas", "em", "um", "uma", "tem", "voce",
        "pode", "favor", "situacao", "estado", "resuma", "resumo", "deu", "erro", "erros", "cancele", "cancelar",
        "rode", "rodar", "novamente", "dono", "contato", "procedimento", "linhas", "ver", "veja", "preciso", "saber",
        "sobre", "isso", "ainda", "tambem", "e", "ta", "ja", "agora", "terminou", "parado", "preso", "corrigir",
        "fazer", "faco", "significa", "quantos", "quantas", "ha", "aconteceu", "abendou", "abendaram", "cade",
        "quebrou", "travado", "comandos", "oi", "ola", "manha", "tarde", "noite", "atras", "acionar", "cuida",
        "algum", "alguma", "geral", "novidade", "passa", "manda", "houve", "teve", "previsao", "tempo", "amanha",
        "tudo", "meu", "nosso", "pra", "para", "tratar", "trato", "executou", "executando",
        "concluiu", "rodaram", "pendente", "dependencias", "dependencia", "reexecute", "reprocesse", "libere",
        "segure", "reinicie", "apague", "submeta", "fluxo", "mim", "com", "sem",
    ]

    /// Words that only appear in English questions (folded), for language detection.
    static let englishWords: Set<String> = [
        "the", "is", "are", "was", "were", "what", "which", "who", "how", "why", "show", "list", "failed",
        "failures", "failing", "today", "yesterday", "since", "last", "hours", "hour", "minutes", "days", "health",
        "environment", "owner", "owns", "fix", "help", "running", "waiting", "of", "for", "in", "on", "did", "does",
        "please", "can", "you", "could", "rerun", "cancel", "lines", "up", "down", "any", "anything", "there", "has",
        "have", "it", "my", "our", "with", "from", "to", "and", "or", "not", "still", "yet", "tell", "give",
        "summary", "summarize", "explain", "latest", "tail", "get", "check", "ran", "finished", "stuck", "happened",
        "whats", "where", "when", "should", "do", "i", "we", "me", "past", "ago", "resolve", "handle", "mean",
        "means", "contact", "hasnt", "didnt", "isnt", "doesnt", "started", "start", "broke", "broken", "errors",
        "many", "commands", "hello", "hi", "hey", "restart", "kill", "hold", "release", "submit", "delete", "stop",
        "all", "everything", "good", "overall", "pending", "dependencies", "blocked", "responsible", "this",
        "morning", "night", "who's", "whos", "its", "abended",
    ]

    /// Leading politeness to skip before looking for an imperative verb.
    static let politePrefixes: [String] = [
        "por favor", "please", "pls", "can you", "could you", "would you", "voce pode", "vc pode", "pode", "poderia",
        "consegue", "preciso que voce", "preciso que", "favor", "quero que voce", "quero", "i want you to",
        "go ahead and", "kindly", "resync",
    ]

    /// Imperatives that would change the plan. Resync has no tool for any of them.
    static let writeVerbs: Set<String> = [
        "rerun", "re-run", "reexecute", "reexecutar", "re-executar", "reexecuta", "reprocesse", "reprocessar",
        "reprocessa", "rerode", "rerodar", "cancel", "cancele", "cancelar", "cancela", "kill", "mate", "matar", "hold",
        "segure", "segurar", "release", "libere", "liberar", "libera", "submit", "submeta", "submeter", "submete",
        "restart", "reinicie", "reiniciar", "reinicia", "stop", "pare", "parar", "delete", "apague", "apagar",
        "exclua", "excluir", "confirm", "confirme", "confirmar", "rode", "rodar", "roda", "run", "execute",
        "executar", "executa", "dispare", "disparar", "force", "forcar", "force-start", "reroda", "mata", "segura",
        "apaga", "exclui", "dispara", "confirma", "forca", "resubmit", "abort", "aborte", "aborta",
    ]

    /// Unambiguous write verbs that count anywhere in the question, unless a noun ("o rerun", "the restart").
    static let writeVerbsAnywhere: Set<String> = [
        "rerun", "re-run", "reexecute", "reexecutar", "re-executar", "reprocesse", "reprocessar", "rerode",
        "rerodar", "cancel", "cancele", "cancelar", "kill", "submit", "submeta", "submeter", "restart", "reinicie",
        "reiniciar", "libere", "liberar", "segure", "apague", "exclua", "delete",
    ]

    /// Verbs that take a write noun to ask for it: "faz o rerun", "dá um kill", "give it a restart".
    static let lightVerbs: Set<String> = ["faz", "faca", "fazer", "da", "dar", "manda", "mande", "mandar", "give"]

    /// Actions named as nouns after a light verb.
    static let writeNouns: Set<String> = [
        "rerun", "re-run", "restart", "kill", "cancel", "submit", "hold", "reexecucao", "reprocessamento",
    ]

    /// Verbs that, opening a request, set a job's state: "set JOB_C to ready", "marque o X como sucesso".
    static let stateSetters: Set<String> = [
        "set", "mark", "change", "marque", "marca", "marcar", "mude", "muda", "mudar", "altere", "altera",
        "alterar", "coloque", "coloca", "colocar", "ponha", "poe",
    ]

    /// States (and the words for them) a state setter changes.
    static let settableStates: Set<String> = [
        "ready", "succ", "success", "successful", "succeeded", "complete", "completed", "done", "abend", "abended",
        "failed", "cancelled", "canceled", "hold", "held", "sucesso", "concluido", "pronto", "cancelado", "priority",
        "prioridade",
    ]

    /// Auxiliaries of an English question about the past: "did someone rerun…", "was it put on hold…".
    static let pastAuxiliaries: Set<String> = [
        "did", "didnt", "has", "hasnt", "have", "havent", "had", "was", "wasnt", "were", "werent",
    ]

    /// Portuguese past tenses that make a question about what was done: "alguém deu rerun…?", "já teve restart?".
    static let pastTenseCues: Set<String> = [
        "deu", "deram", "fez", "fizeram", "foi", "foram", "teve", "tiveram", "houve", "rolou",
    ]

    /// Words that ask for something to be done, even after a past tense ("foi cancelado, pode reexecutar?").
    static let requestWords: Set<String> = [
        "pode", "podem", "poderia", "consegue", "conseguem", "can", "could", "would", "will", "please", "pls",
        "favor", "quero", "preciso",
    ]

    /// Words that make the following verb a noun or a state ("o rerun", "em hold").
    static let nounMarkers: Set<String> = [
        "o", "a", "the", "do", "da", "um", "uma", "of", "no", "em", "on", "in", "this", "esse", "last", "ultimo",
    ]

    /// Write requests phrased anywhere in the question.
    static let writePhrases: [String] = [
        "rode novamente", "rodar novamente", "rode de novo", "rodar de novo", "roda de novo", "dar rerun",
        "da um rerun", "de um rerun", "faz um rerun", "faca um rerun", "faca rerun", "fazer rerun", "fazer o rerun",
        "do a rerun", "coloque em hold", "ponha em hold", "colocar em hold", "put on hold", "mark as successful",
        "marque como", "set to succ", "change the priority", "mude a prioridade", "altere a prioridade",
        "force start", "release the", "cancel the", "rerun the", "kill the", "libera o", "libere o", "cancela o",
        "cancele o", "cancelar o",
    ]

    /// Cues that the question asks how, whether or who — advice, not an action.
    static let adviceCues: [String] = [
        "como", "how", "should", "devo", "posso", "procedimento", "procedure", "runbook", "o que fazer",
        "what to do", "quem", "who",
    ]

    static let helpPhrases: [String] = [
        "help", "ajuda", "socorro", "o que voce faz", "o que voce sabe fazer", "o que vc faz", "what can you do",
        "what do you do", "comandos", "commands", "como usar", "como te uso", "how to use", "how do i use you",
        "menu", "oi", "ola", "hello", "hi", "hey", "bom dia", "boa tarde", "boa noite", "good morning",
    ]

    static let knowledgePhrases: [String] = [
        "quem e o responsavel", "responsavel", "responsaveis", "quem cuida", "who owns", "owner", "dono", "contato",
        "contatos", "contact", "who is responsible", "who's responsible", "whos responsible", "who do i call",
        "who should i call", "quem acionar", "quem devo acionar", "acionar", "escalar", "escalate", "plantao",
        "on-call", "on call", "como resolvo", "como resolver", "como corrigir", "como corrijo", "como tratar",
        "como trato", "como lidar", "como faco para resolver", "como eu resolvo", "o que fazer", "o que faco",
        "o que eu faco", "procedimento", "procedure", "runbook", "how do i fix", "how to fix", "how can i fix",
        "how to resolve", "how do i resolve", "how do we fix", "how should i handle", "how to handle",
        "how do i handle", "what to do", "what should i do", "what do i do", "o que significa", "significa",
        "what does", "meaning of", "documentacao", "base de conhecimento", "knowledge base", "known solution",
        "solucao", "solucoes", "solution", "workaround", "fix for", "como proceder", "resolve the", "to fix",
    ]

    static let whyPhrases: [String] = ["por que", "porque", "pq", "why", "how come", "motivo", "reason"]

    static let waitingPhrases: [String] = [
        "waiting", "esperando", "aguardando", "parado", "preso", "stuck", "travado", "nao iniciou", "nao comecou",
        "nao rodou", "nao startou", "nao executou", "hasnt started", "hasn't started", "not started",
        "didnt start", "didn't start", "not running yet", "pending", "pendente", "dependencia", "dependencias",
        "dependencies", "dependency", "depends on", "depende de", "blocked", "bloqueado", "em espera", "on hold",
        "held", "segurado",
    ]

    static let logPhrases: [String] = [
        "log", "logs", "stdlist", "joblog", "saida", "output", "spool", "sysout", "tail",
    ]

    static let streamPhrases: [String] = ["stream", "jobstream", "job stream", "fluxo", "streams", "jobstreams"]

    static let failurePhrases: [String] = [
        "failed", "fail", "fails", "failure", "failures", "failing", "falha", "falhas", "falharam", "falhou",
        "falhando", "abend", "abends", "abended", "abendaram", "abendou", "abendado", "abendados", "erro", "erros",
        "error", "errors", "em erro", "com erro", "quebraram", "quebrou", "broke", "broken", "caiu", "cairam",
        "deu erro", "deram erro", "crashed", "went wrong", "deu ruim", "errored",
    ]

    static let healthPhrases: [String] = [
        "health", "saude", "ambiente", "environment", "master", "mdm", "workstation", "workstations", "agentes",
        "agents", "overview", "visao geral", "resumo", "resuma", "summary", "summarize", "panorama", "tudo ok",
        "everything ok", "all good", "how are we", "como estamos", "situacao geral", "status geral",
        "overall status", "general status", "estado geral", "quantos jobs", "how many jobs", "engine",
        "motor", "servidor", "linked", "unlinked", "nao linkad", "hwa esta", "tws esta", "is hwa", "is tws",
    ]

    static let statusPhrases: [String] = [
        "status", "situacao", "estado", "state", "rodando", "running", "rodou", "ran", "terminou", "finished",
        "completed", "concluiu", "acabou", "como esta", "how is", "andamento", "progress", "executou", "executando",
        "started", "iniciou", "succeeded", "sucesso",
    ]

    /// Upper-case words that look like names but are not jobs.
    static let notJobNames: Set<String> = [
        "HWA", "TWS", "RC", "ABEND", "ERROR", "ERRO", "JOB", "JOBS", "OK", "UTC", "API", "KB", "MDM", "SUCC",
        "EXEC", "HOLD", "READY", "WAIT", "FAIL", "STATUS", "LOG", "SLA", "ETA", "DWC", "URGENTE", "URGENT", "AGORA",
        "NOW", "HELP", "BRT", "GMT", "MASTER", "STREAM", "ABENP", "SUCCP", "WAITING", "RUNNING", "PROD", "HML",
        "QA", "DEV", "PLAN", "SYMPHONY", "JOBMAN", "BATCHMAN", "FENCE", "LINK", "UNLINK", "CANCL", "INTRO", "PEND",
        "SCHED", "EXTRN", "DONE", "ABENDED", "FAILED", "SUCCESSFUL", "HOJE", "TODAY", "ASAP", "FYI", "PLEASE",
        "AJUDA", "CADE", "SAUDE", "HEALTH", "WHY", "LINHAS", "LINES", "AM", "PM", "EOD", "JCL",
    ]

    /// Lower-case words that may follow "job" without being its name.
    static let notNameWords: Set<String> = [
        "que", "de", "do", "da", "the", "is", "was", "esta", "ta", "foi", "with", "in", "em", "no", "na", "x",
        "status", "log", "logs", "that", "which", "stream", "name", "nome", "rodou", "falhou", "ainda", "still",
        "ja", "failed", "running", "rodando", "and", "e", "ou", "or", "to", "for", "para", "pra", "has", "have",
        "did", "does", "a", "o", "um", "uma", "an", "dele", "this", "esse", "este", "isso", "aqui", "com", "sem",
    ]
}
