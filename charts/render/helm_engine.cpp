#include "charts/render/helm_engine.hpp"

#include <algorithm>

#include "charts/render/deep_stack.hpp"
#include "charts/render/format.hpp"
#include "charts/render/template_set.hpp"
#include "core/error.hpp"

namespace sealift::render {
namespace {

constexpr std::string_view warn_start = "HELM_ERR_START";
constexpr std::string_view warn_end = "HELM_ERR_END";

void replace_all(std::string& s, std::string_view from, std::string_view to) {
    for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
        s.replace(at, from.size(), to);
}

size_t slash_count(const std::string& s) { return static_cast<size_t>(std::count(s.begin(), s.end(), '/')); }

bool is_partial(const std::string& name) {
    size_t slash = name.rfind('/');
    std::string_view base =
        slash == std::string::npos ? std::string_view(name) : std::string_view(name).substr(slash + 1);
    return base.starts_with("_");
}

// Go's strings.SplitN(s, ": ", n).
std::vector<std::string> split_n(const std::string& s, size_t n) {
    std::vector<std::string> parts;
    size_t start = 0;
    while (parts.size() + 1 < n) {
        size_t at = s.find(": ", start);
        if (at == std::string::npos) break;
        parts.push_back(s.substr(start, at - start));
        start = at + 2;
    }
    parts.push_back(s.substr(start));
    return parts;
}

std::string cleanup_parse_error(const std::string& filename, const std::string& message) {
    auto tokens = split_n(message, SIZE_MAX);
    if (tokens.size() == 1) return "parse error in (" + filename + "): " + message;
    return "parse error at (" + tokens[1] + "): " + tokens.back();
}

std::string cleanup_exec_error(const std::string& filename, const std::string& message) {
    auto tokens = split_n(message, 3);
    if (tokens.size() != 3) return "execution error in (" + filename + "): " + message;
    size_t start = tokens[2].find(warn_start);
    if (start != std::string::npos) {
        size_t end = tokens[2].rfind(warn_end);  // Go's (.*) is greedy
        if (end != std::string::npos && end >= start + warn_start.size()) {
            std::string inner = tokens[2].substr(start + warn_start.size(), end - start - warn_start.size());
            if (inner.find('\n') == std::string::npos) return "execution error at (" + tokens[1] + "): " + inner;
        }
    }
    return message;
}

}  // namespace

std::string helm_warning(std::string_view message) {
    return std::string(warn_start) + std::string(message) + std::string(warn_end);
}

void add_helm_template_functions(FunctionTable& table) {
    using P = ParamType;
    table.add("include", Function{{P::string, P::any}, std::nullopt, [](Execution& exec, Args a) {
                                      return Value(exec.execute_template(a[0].as_string(), a[1]));
                                  }});
    table.add("tpl",
              Function{{P::string, P::any}, std::nullopt, [](Execution& exec, Args a) {
                           const std::string& text = a[0].as_string();
                           if (text.find("{{") == std::string::npos && text.find("}}") == std::string::npos)
                               return Value(text);
                           std::string out;
                           try {
                               out = exec.execute_text("gotpl", text, a[1]);
                           } catch (const ParseError& e) {
                               throw FunctionError("cannot parse template " + quote_string(text) + ": " + e.what());
                           } catch (const Error& e) {
                               throw FunctionError("error during tpl function execution for " + quote_string(text) +
                                                   ": " + e.what());
                           }
                           replace_all(out, "<no value>", "");
                           return Value(std::move(out));
                       }});
}

std::map<std::string, std::string> render_helm_templates(const std::vector<HelmTemplateFile>& files,
                                                         std::shared_ptr<const FunctionTable> functions) {
    std::vector<const HelmTemplateFile*> order;
    for (const auto& f : files) order.push_back(&f);
    // Helm parses deeper paths first and, among equals, in reverse order of their names.
    std::sort(order.begin(), order.end(), [](const HelmTemplateFile* a, const HelmTemplateFile* b) {
        size_t ca = slash_count(a->name), cb = slash_count(b->name);
        if (ca == cb) return b->name < a->name;
        return cb < ca;
    });
    TemplateSet set(std::move(functions), MissingKey::zero);
    for (const auto* f : order) {
        try {
            set.parse(f->name, f->text);
        } catch (const ParseError& e) {
            fail(Errc::format, cleanup_parse_error(f->name, e.what()));
        }
    }
    std::map<std::string, std::string> rendered;
    // One deep-stack thread for the whole chart, not one per file.
    run_on_deep_stack([&] {
        for (const auto* f : order) {
            if (is_partial(f->name)) continue;
            auto template_info = make_map();
            template_info->entries["Name"] = Value(f->name);
            template_info->entries["BasePath"] = Value(f->base_path);
            Value scope;
            if (f->scope) {
                f->scope->entries["Template"] = Value(template_info);
                scope = Value(f->scope);
            }
            std::string out;
            try {
                out = set.execute(f->name, scope);
            } catch (const Error& e) {
                fail(Errc::format, cleanup_exec_error(f->name, e.what()));
            }
            replace_all(out, "<no value>", "");
            rendered.emplace(f->name, std::move(out));
        }
    });
    return rendered;
}

}  // namespace sealift::render
