// fmt's compiled part (formatting, floating point to text), built into the
// engine from fmt's own headers instead of linked from libfmt.so: a shared
// library that needs the shared C++ runtime would make every fastgpu process
// load that runtime (docs/performance.md#start-up). Nothing here is
// fastgpu's: format-inl.h defines fmt's out-of-line functions (FMT_FUNC), and
// the templates that fmt's headers declare `extern template` are instantiated
// below for char, as fmt's own library instantiates them.
#include <fmt/format-inl.h>

FMT_BEGIN_NAMESPACE
namespace detail {

template auto dragonbox::to_decimal(float x) noexcept -> dragonbox::decimal_fp<float>;
template auto dragonbox::to_decimal(double x) noexcept -> dragonbox::decimal_fp<double>;
template locale_ref::locale_ref(const std::locale& loc);
template auto locale_ref::get<std::locale>() const -> std::locale;
template auto thousands_sep_impl(locale_ref) -> thousands_sep_result<char>;
template auto decimal_point_impl(locale_ref) -> char;
template void buffer<char>::append(const char*, const char*);

}  // namespace detail
FMT_END_NAMESPACE
